// The overview: the health of every allocation version (the figures of v_allocation_health, read
// from the pre-aggregated dash_symbol_pnl plus the live review queue and run log), the runs in
// progress and the latest runs.
import type { SqlClient } from "../sql-client";

export type HealthStatus = "computing" | "last_run_failed" | "needs_review" | "minor_issues" | "healthy";

export interface VersionHealth {
  version: number;
  symbols: number;
  sellsTotal: number;
  sellsFullyMatched: number;
  sellsPartiallyMatched: number;
  sellsUnmatched: number;
  allocations: number;
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
  /** The version's lot-selection method; null before its first run finished. */
  method: string | null;
}

export async function versionHealth(db: SqlClient): Promise<VersionHealth[]> {
  return db.query<VersionHealth>(
    `WITH versions AS (
       SELECT allocation_version FROM fifo_computation_log
       UNION SELECT allocation_version FROM fifo_inventory_snapshot
     ), per_symbol AS (
       SELECT allocation_version, count(*) AS symbols, sum(sells_matched) AS sells_with_allocations,
         sum(sells_partially_matched) AS partially, sum(sells_unmatched) AS not_matched, sum(allocations) AS allocations,
         sum(realized_pnl_usd) AS new_pnl, sum(old_pnl_usd) AS old_pnl, sum(unmatched_notional_usd) AS unmatched_notional
       FROM dash_symbol_pnl GROUP BY allocation_version
     ), reviews AS (
       SELECT allocation_version, count(*) AS open_items,
         count(*) FILTER (WHERE severity = 'critical') AS critical, count(*) FILTER (WHERE severity = 'high') AS high,
         count(*) FILTER (WHERE severity = 'medium') AS medium, count(*) FILTER (WHERE severity = 'low') AS low
       FROM manual_review_queue WHERE status IN ('pending', 'in_review') GROUP BY allocation_version
     ), last_run AS (
       SELECT DISTINCT ON (allocation_version) allocation_version, id, status, started_at, finished_at
       FROM fifo_computation_log ORDER BY allocation_version, id DESC
     )
     SELECT v.allocation_version AS version, coalesce(p.symbols, 0)::int AS symbols,
       (SELECT m.method FROM fifo_version_methods m WHERE m.allocation_version = v.allocation_version) AS method,
       (coalesce(p.sells_with_allocations, 0) + coalesce(p.not_matched, 0))::bigint AS "sellsTotal",
       (coalesce(p.sells_with_allocations, 0) - coalesce(p.partially, 0))::bigint AS "sellsFullyMatched",
       coalesce(p.partially, 0)::bigint AS "sellsPartiallyMatched", coalesce(p.not_matched, 0)::bigint AS "sellsUnmatched",
       coalesce(p.allocations, 0)::bigint AS allocations,
       coalesce(p.new_pnl, 0)::text AS "newPnlUsd", coalesce(p.old_pnl, 0)::text AS "oldPnlUsd",
       (coalesce(p.new_pnl, 0) - coalesce(p.old_pnl, 0))::text AS "pnlDifferenceUsd",
       coalesce(p.unmatched_notional, 0)::text AS "unmatchedNotionalUsd",
       coalesce(r.open_items, 0)::bigint AS "openReviewItems", coalesce(r.critical, 0)::bigint AS "openCritical",
       coalesce(r.high, 0)::bigint AS "openHigh", coalesce(r.medium, 0)::bigint AS "openMedium",
       coalesce(r.low, 0)::bigint AS "openLow",
       lr.id AS "lastRunId", lr.status AS "lastRunStatus", lr.started_at AS "lastRunStartedAt",
       lr.finished_at AS "lastRunFinishedAt",
       CASE
         WHEN lr.status IN ('queued', 'running') THEN 'computing'
         WHEN lr.status IN ('failed', 'cancelled') THEN 'last_run_failed'
         WHEN coalesce(r.critical, 0) + coalesce(r.high, 0) > 0 THEN 'needs_review'
         WHEN coalesce(r.open_items, 0) > 0 THEN 'minor_issues'
         ELSE 'healthy'
       END AS "healthStatus"
     FROM versions v
     LEFT JOIN per_symbol p ON p.allocation_version = v.allocation_version
     LEFT JOIN reviews r ON r.allocation_version = v.allocation_version
     LEFT JOIN last_run lr ON lr.allocation_version = v.allocation_version
     ORDER BY v.allocation_version DESC`,
  );
}

export interface ActiveRun {
  id: number;
  version: number;
  status: string;
  startedBy: string;
  createdAt: string;
  startedAt: string | null;
  progress: { phase?: string; tradesDone?: number; tradesTotal?: number; symbolsDone?: number; symbolsTotal?: number };
}

export async function activeRuns(db: SqlClient): Promise<ActiveRun[]> {
  return db.query<ActiveRun>(
    `SELECT id, allocation_version AS version, status, started_by AS "startedBy", created_at AS "createdAt",
       started_at AS "startedAt", progress
     FROM fifo_computation_log WHERE status IN ('queued', 'running') ORDER BY id DESC`,
  );
}

export interface RecentRun {
  id: number;
  version: number;
  status: string;
  mode: string;
  startedBy: string;
  createdAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  allocationsWritten: number;
  unmatchedSells: number;
}

export async function recentRuns(db: SqlClient, limit = 5): Promise<RecentRun[]> {
  return db.query<RecentRun>(
    `SELECT id, allocation_version AS version, status, mode, started_by AS "startedBy", created_at AS "createdAt",
       finished_at AS "finishedAt", duration_ms AS "durationMs", allocations_written AS "allocationsWritten",
       unmatched_sells AS "unmatchedSells"
     FROM fifo_computation_log ORDER BY id DESC LIMIT $1`,
    [limit],
  );
}
