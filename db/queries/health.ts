// The overview's read: one row of v_allocation_health per allocation version, newest first.
import type { SqlClient } from "../sql-client";

export type HealthStatus = "computing" | "last_run_failed" | "needs_review" | "minor_issues" | "healthy";

export interface AllocationHealth {
  allocationVersion: number;
  symbols: number;
  sellsTotal: number;
  sellsFullyMatched: number;
  sellsPartiallyMatched: number;
  sellsUnmatched: number;
  allocations: number;
  /** USD amounts: exact decimal strings */
  newPnlUsd: string;
  oldPnlUsd: string;
  pnlDifferenceUsd: string;
  unmatchedNotionalUsd: string;
  openReviewItems: number;
  openCritical: number;
  openHigh: number;
  openMedium: number;
  openLow: number;
  lastRunId: number | null;
  lastRunStatus: string | null;
  lastRunStartedAt: string | null;
  lastRunFinishedAt: string | null;
  healthStatus: HealthStatus;
}

const COUNTS = [
  "symbols",
  "sells_total",
  "sells_fully_matched",
  "sells_partially_matched",
  "sells_unmatched",
  "allocations",
  "open_review_items",
  "open_critical",
  "open_high",
  "open_medium",
  "open_low",
] as const;

export async function allocationHealth(db: SqlClient): Promise<AllocationHealth[]> {
  // Sums of counts come back as numeric (strings); cast them to bigint (numbers) in SQL.
  const rows = await db.query<AllocationHealth>(
    `SELECT allocation_version::bigint AS "allocationVersion",
       ${COUNTS.map((c) => `${c}::bigint AS "${camel(c)}"`).join(", ")},
       new_pnl_usd::text AS "newPnlUsd", old_pnl_usd::text AS "oldPnlUsd",
       pnl_difference_usd::text AS "pnlDifferenceUsd", unmatched_notional_usd::text AS "unmatchedNotionalUsd",
       last_run_id::bigint AS "lastRunId", last_run_status AS "lastRunStatus",
       last_run_started_at AS "lastRunStartedAt", last_run_finished_at AS "lastRunFinishedAt",
       health_status AS "healthStatus"
     FROM v_allocation_health ORDER BY allocation_version DESC`,
  );
  return rows;
}

function camel(name: string): string {
  return name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}
