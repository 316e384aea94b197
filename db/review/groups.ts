// The queue folded into groups of near-identical items (version, symbol, issue type, cause, month
// of the trade), so hundreds of "missing acquisition" items read as a few lines a reviewer can
// inspect and act on at once.
import type { ReviewFilter } from "@/lib/review/query";
import type { IssueType, Severity } from "@/lib/review/workflow";
import type { SqlClient } from "../sql-client";
import { type FilterContext, SEVERITY_RANK_SQL, SqlParams, filterConditions, reviewItemsSubquery } from "./source";

export interface ReviewGroupRow {
  allocation_version: number;
  symbol: string;
  issue_type: IssueType;
  cause: string;
  month: string | null;
  items: number;
  open_items: number;
  pending_items: number;
  unmatched_size: string | null;
  /** Unmatched notional (unmatched sells) or sum of |old - new| PnL (discrepancies). */
  amount_usd: string | null;
  severity: Severity;
  first_trade_time: string | null;
  last_trade_time: string | null;
  /** "id:row_version,..." of the group's open items: what a group action sends back. */
  open_refs: string;
}

export async function listReviewGroups(
  db: SqlClient,
  filter: Partial<ReviewFilter>,
  ctx: FilterContext,
  limit = 500,
): Promise<ReviewGroupRow[]> {
  const p = new SqlParams();
  const source = reviewItemsSubquery(p.add(ctx.dustNotionalUsd));
  const open = `i.status IN ('pending', 'in_review')`;
  const sql =
    `SELECT i.allocation_version, i.symbol, i.issue_type, i.cause, i.month,
       count(*)::int AS items,
       (count(*) FILTER (WHERE ${open}))::int AS open_items,
       (count(*) FILTER (WHERE i.status = 'pending'))::int AS pending_items,
       sum(i.unmatched_size) AS unmatched_size,
       sum(CASE WHEN i.issue_type = 'pnl_discrepancy' THEN abs(i.old_pnl_usd - i.new_pnl_usd) ELSE i.notional_usd END)
         AS amount_usd,
       (ARRAY['low', 'low', 'medium', 'high', 'critical'])[max(${SEVERITY_RANK_SQL}) + 1] AS severity,
       min(i.trade_time) AS first_trade_time, max(i.trade_time) AS last_trade_time,
       coalesce(string_agg(i.id || ':' || i.row_version, ',' ORDER BY i.id) FILTER (WHERE ${open}), '') AS open_refs
     FROM ${source} i ${filterConditions(filter, ctx, p)}
     GROUP BY i.allocation_version, i.symbol, i.issue_type, i.cause, i.month
     ORDER BY max(${SEVERITY_RANK_SQL}) DESC, count(*) FILTER (WHERE ${open}) DESC, count(*) DESC,
       i.symbol, i.issue_type, i.cause, i.month
     LIMIT ${p.add(limit)}`;
  if (db.engine !== "postgres") return db.query<ReviewGroupRow>(sql, p.values);
  // Grouping folds every matching item (with its trade) at once: on a real server give this one
  // query the memory to hash and sort in RAM instead of spilling to disk, and skip JIT compilation
  // (which costs more than it saves here). SET LOCAL ends with the transaction.
  return db.transaction(async (tx) => {
    await tx.exec("SET LOCAL work_mem = '64MB'; SET LOCAL jit = off");
    return tx.query<ReviewGroupRow>(sql, p.values);
  });
}
