// The queue as the review pages see it: every item with its trade's time, the assignee, and the
// two derived facts the anti-flood features need: `cause` (why, in a word) and `is_dust`
// (unmatched notional below fifo_settings.dust_notional_usd). One place builds the SQL, so the
// table, the counts, the groups, the CSV export and bulk selections filter the same way.
import type { ReviewFilter } from "@/lib/review/query";
import type { ReviewStatus, Severity } from "@/lib/review/workflow";
import { readComputeSettings } from "../compute/settings";
import type { SqlClient } from "../sql-client";

/** Collects $n parameters while SQL is assembled. */
export class SqlParams {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** One column of the item's trade, looked up only where an expression needs it (an index probe). */
const tradeColumn = (column: string) => `(SELECT tr.${column} FROM trade_records tr WHERE tr.id = q.trade_id)`;
/** Runs store the trade's time on the item; items written otherwise look it up. */
const TRADE_TIME_SQL = `coalesce(q.trade_order_time, ${tradeColumn("order_time")})`;

/**
 * A subquery (alias it) with one row per item and the derived columns. Trade columns are scalar
 * subqueries, evaluated only for the rows and columns a query uses: a page probes its 50 trades,
 * the groups and counts read the item alone, and no plan ever scans every trade.
 */
export function reviewItemsSubquery(dustParam: string): string {
  const notional = `coalesce(q.notional_usd, q.unmatched_size * ${tradeColumn("price")})`;
  return `(
    SELECT q.*, ${TRADE_TIME_SQL} AS trade_time, ${tradeColumn("side")} AS trade_side,
      ${tradeColumn("size")} AS trade_size, ${tradeColumn("price")} AS trade_price,
      to_char(${TRADE_TIME_SQL} AT TIME ZONE 'UTC', 'YYYY-MM') AS month,
      ua.email AS assignee_email, ur.email AS resolved_by_email,
      (q.issue_type = 'unmatched_sell' AND ${notional} < ${dustParam}::numeric) AS is_dust,
      CASE
        WHEN q.issue_type = 'unmatched_sell' AND ${notional} < ${dustParam}::numeric THEN 'dust'
        WHEN q.issue_type = 'unmatched_sell'
          AND q.unmatched_size >= coalesce((q.details->>'sellSize')::numeric, ${tradeColumn("size")}) THEN 'no_open_lot'
        WHEN q.issue_type = 'unmatched_sell' THEN 'partly_covered'
        WHEN q.issue_type = 'pnl_discrepancy' AND q.details->>'cause' ~ '^[a-z_]{1,40}$' THEN q.details->>'cause'
        WHEN q.issue_type = 'pnl_discrepancy' AND q.new_pnl_usd IS NULL THEN 'no_new_pnl'
        WHEN q.issue_type = 'pnl_discrepancy' AND q.old_pnl_usd > q.new_pnl_usd THEN 'old_pnl_higher'
        WHEN q.issue_type = 'pnl_discrepancy' THEN 'old_pnl_lower'
        WHEN q.details->>'cause' ~ '^[a-z_]{1,40}$' THEN q.details->>'cause'
        WHEN q.reason ILIKE '%unknown status%' THEN 'unknown_status'
        WHEN q.reason ILIKE '%unknown side%' THEN 'unknown_side'
        WHEN q.reason ~ '(^|[:;] )size ' THEN 'bad_size'
        WHEN q.reason ~ '(^|[:;] )price ' THEN 'bad_price'
        WHEN q.reason ILIKE '%fee_usd%' THEN 'bad_fee'
        WHEN q.reason ILIKE '%order_time%' THEN 'bad_time'
        ELSE 'unusable'
      END AS cause
    FROM manual_review_queue q
    LEFT JOIN app_users ua ON ua.id = q.assigned_to
    LEFT JOIN app_users ur ON ur.id = q.resolved_by
  )`;
}

export interface FilterContext {
  /** The signed-in user, for assignee=me. */
  userId: number | null;
  dustNotionalUsd: string;
}

export async function filterContext(db: SqlClient, userId: number | null): Promise<FilterContext> {
  const settings = await readComputeSettings(db);
  return { userId, dustNotionalUsd: settings.dustNotionalUsd };
}

type FacetKey = "status" | "severity";

/** WHERE conditions on the subquery's alias `i`, skipping the facets in `without`. */
export function filterConditions(
  filter: Partial<ReviewFilter>,
  ctx: FilterContext,
  p: SqlParams,
  without: readonly FacetKey[] = [],
): string {
  const where: string[] = [];
  // Status and severity are also stated as their ranks (the same rows: the CHECK constraints allow
  // only these values), so the rank indexes of 0007_review_queue_speed serve the filtered pages too.
  if (filter.status && filter.status !== "all" && !without.includes("status")) {
    if (filter.status === "open") where.push(`i.status IN ('pending', 'in_review')`, `${STATUS_RANK_SQL} <= 1`);
    else where.push(`i.status = ${p.add(filter.status)}`, `${STATUS_RANK_SQL} = ${p.add(STATUS_RANK[filter.status])}`);
  }
  if (filter.severity && !without.includes("severity")) {
    where.push(`i.severity = ${p.add(filter.severity)}`, `${SEVERITY_RANK_SQL} = ${p.add(SEVERITY_RANK[filter.severity])}`);
  }
  if (filter.type) where.push(`i.issue_type = ${p.add(filter.type)}`);
  if (filter.symbol) where.push(`i.symbol = ${p.add(filter.symbol)}`);
  if (filter.version) where.push(`i.allocation_version = ${p.add(filter.version)}`);
  if (filter.cause) where.push(`i.cause = ${p.add(filter.cause)}`);
  if (filter.month) where.push(`i.month = ${p.add(filter.month)}`);
  if (filter.dust === "1") where.push(`i.is_dust`);
  if (filter.dust === "0") where.push(`NOT coalesce(i.is_dust, false)`);
  if (filter.trade) where.push(`(i.trade_id = ${p.add(filter.trade)} OR i.manual_trade_id = ${p.add(filter.trade)})`);
  if (filter.assignee === "none") where.push(`i.assigned_to IS NULL`);
  else if (filter.assignee === "me") where.push(`i.assigned_to = ${p.add(ctx.userId ?? -1)}`);
  else if (filter.assignee) where.push(`i.assigned_to = ${p.add(Number(filter.assignee))}`);
  return where.length ? `WHERE ${where.join(" AND ")}` : "";
}

/** Filters that need the derived columns (trade join); every other filter reads manual_review_queue alone. */
export function needsDerivedColumns(filter: Partial<ReviewFilter>): boolean {
  return Boolean(filter.cause || filter.month || filter.dust);
}

// The rank expressions are indexed (drizzle/0007_review_queue_speed.sql): change both together.
export const SEVERITY_RANK_SQL = `CASE i.severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END`;
export const STATUS_RANK_SQL = `CASE i.status WHEN 'pending' THEN 0 WHEN 'in_review' THEN 1 WHEN 'resolved' THEN 2 ELSE 3 END`;
// The priority order's other keys, ascending (drizzle/0008_discrepancy_causes.sql indexes them):
// strongest severity first, biggest notional first with no notional last.
export const SEVERITY_ORDER_SQL = `CASE i.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END`;
export const NOTIONAL_ORDER_SQL = `coalesce(-i.notional_usd, 'infinity'::numeric)`;
const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1 };
const STATUS_RANK: Record<ReviewStatus, number> = { pending: 0, in_review: 1, resolved: 2, dismissed: 3 };
