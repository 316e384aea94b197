// The queue folded into groups of near-identical items (version, symbol, issue type, cause, month
// of the trade), so hundreds of "missing acquisition" items read as a few lines a reviewer can
// inspect and act on at once.
import type { ReviewFilter } from "@/lib/review/query";
import type { ItemRef, ReviewGroupKey } from "@/lib/review/schemas";
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
  /**
   * When the group's open items last changed (epoch microseconds): a group action names the group
   * and this, and acts on the open items unchanged since, so no id list goes to the browser.
   */
  open_as_of: number | null;
}

export async function listReviewGroups(
  db: SqlClient,
  filter: Partial<ReviewFilter>,
  ctx: FilterContext,
  { limit = 500, offset = 0 }: { limit?: number; offset?: number } = {},
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
       (max(extract(epoch FROM i.updated_at) * 1000000) FILTER (WHERE ${open}))::bigint AS open_as_of
     FROM ${source} i ${filterConditions(filter, ctx, p)}
     GROUP BY i.allocation_version, i.symbol, i.issue_type, i.cause, i.month
     ORDER BY max(${SEVERITY_RANK_SQL}) DESC, count(*) FILTER (WHERE ${open}) DESC, count(*) DESC,
       i.symbol, i.issue_type, i.cause, i.month
     LIMIT ${p.add(limit)} OFFSET ${p.add(offset)}`;
  if (db.engine !== "postgres") return db.query<ReviewGroupRow>(sql, p.values);
  // Grouping folds every matching item (with its trade) at once: on a real server give this one
  // query the memory to hash and sort in RAM instead of spilling to disk, and skip JIT compilation
  // (which costs more than it saves here). SET LOCAL ends with the transaction.
  return db.transaction(async (tx) => {
    await tx.exec("SET LOCAL work_mem = '64MB'; SET LOCAL jit = off");
    return tx.query<ReviewGroupRow>(sql, p.values);
  });
}

export interface GroupSelection {
  refs: ItemRef[];
  /** open items of the group changed after the page was rendered: left alone */
  changedSince: number;
}

/** The group's open items as the reviewer saw them (unchanged since `asOf`), at most `limit`. */
export async function openItemsOfGroup(db: SqlClient, group: ReviewGroupKey, asOf: number, ctx: FilterContext, limit: number): Promise<GroupSelection> {
  const p = new SqlParams();
  const source = reviewItemsSubquery(p.add(ctx.dustNotionalUsd));
  const filter: Partial<ReviewFilter> = { status: "open", version: group.version, symbol: group.symbol, type: group.type, cause: group.cause };
  const where = [filterConditions(filter, ctx, p).replace(/^WHERE /, ""), group.month ? `i.month = ${p.add(group.month)}` : `i.month IS NULL`];
  const [row] = await db.query<{ refs: ItemRef[] | null; changed_since: number }>(
    `WITH items AS (
       SELECT i.id, i.row_version, (extract(epoch FROM i.updated_at) * 1000000)::bigint <= ${p.add(asOf)}::bigint AS seen
       FROM ${source} i WHERE ${where.join(" AND ")}
     )
     SELECT (SELECT json_agg(json_build_object('id', id, 'rowVersion', row_version) ORDER BY id)
             FROM (SELECT id, row_version FROM items WHERE seen ORDER BY id LIMIT ${p.add(limit)}) s) AS refs,
            (SELECT count(*) FROM items WHERE NOT seen)::int AS changed_since`,
    p.values,
  );
  const refs = (typeof row?.refs === "string" ? JSON.parse(row.refs) : row?.refs) as ItemRef[] | null;
  return { refs: refs ?? [], changedSince: row?.changed_since ?? 0 };
}
