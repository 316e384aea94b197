// Reads for the review queue page: one page of items (filtered and sorted on the server), the
// counts per status and severity, the choices of the filter menus, and whole selections for bulk
// actions and the CSV export.
import type { ReviewFilter, ReviewQuery, ReviewSort } from "@/lib/review/query";
import type { ReviewStatus, Severity } from "@/lib/review/workflow";
import { REVIEW_STATUSES, SEVERITIES } from "@/lib/review/workflow";
import type { SqlClient } from "../sql-client";
import {
  type FilterContext,
  SEVERITY_RANK_SQL,
  STATUS_RANK_SQL,
  SqlParams,
  filterConditions,
  reviewItemsSubquery,
} from "./source";

export interface ReviewItemRow {
  id: number;
  allocation_version: number;
  trade_id: number;
  symbol: string;
  issue_type: string;
  severity: Severity;
  status: ReviewStatus;
  reason: string;
  cause: string;
  is_dust: boolean;
  month: string | null;
  unmatched_size: string | null;
  notional_usd: string | null;
  old_pnl_usd: string | null;
  new_pnl_usd: string | null;
  assigned_to: number | null;
  assignee_email: string | null;
  resolution_type: string | null;
  resolution_notes: string | null;
  resolved_at: string | null;
  resolved_by_email: string | null;
  manual_trade_id: number | null;
  opened_by_computation_id: number | null;
  closed_by_computation_id: number | null;
  row_version: number;
  created_at: string;
  updated_at: string;
  trade_time: string | null;
  trade_side: string | null;
}

const ROW_COLUMNS = `i.id, i.allocation_version, i.trade_id, i.symbol, i.issue_type, i.severity, i.status, i.reason,
  i.cause, coalesce(i.is_dust, false) AS is_dust, i.month, i.unmatched_size, i.notional_usd, i.old_pnl_usd,
  i.new_pnl_usd, i.assigned_to, i.assignee_email, i.resolution_type, i.resolution_notes, i.resolved_at,
  i.resolved_by_email, i.manual_trade_id, i.opened_by_computation_id, i.closed_by_computation_id, i.row_version,
  i.created_at, i.updated_at, i.trade_time, i.trade_side`;

function orderBy(sort: ReviewSort): string {
  const dir = sort.direction === "asc" ? "ASC" : "DESC";
  const tie = `i.id ${dir}`;
  switch (sort.column) {
    case "priority":
      // Pending critical first: open before closed, then strongest severity, biggest notional, oldest.
      return `${STATUS_RANK_SQL}, ${SEVERITY_RANK_SQL} DESC, i.notional_usd DESC NULLS LAST, i.id ASC`;
    case "severity":
      return `${SEVERITY_RANK_SQL} ${dir}, ${tie}`;
    case "status":
      return `${STATUS_RANK_SQL} ${dir}, ${tie}`;
    case "symbol":
      return `i.symbol ${dir}, ${tie}`;
    case "type":
      return `i.issue_type ${dir}, ${tie}`;
    case "notional":
      return `i.notional_usd ${dir} NULLS LAST, ${tie}`;
    case "unmatched":
      return `i.unmatched_size ${dir} NULLS LAST, ${tie}`;
    case "trade_time":
      return `i.trade_time ${dir} NULLS LAST, ${tie}`;
    case "created":
      return `i.created_at ${dir}, ${tie}`;
    case "updated":
      return `i.updated_at ${dir}, ${tie}`;
    case "id":
      return tie;
  }
}

function selectItems(filter: Partial<ReviewFilter>, ctx: FilterContext, p: SqlParams, columns = ROW_COLUMNS): string {
  const source = reviewItemsSubquery(p.add(ctx.dustNotionalUsd));
  return `SELECT ${columns} FROM ${source} i ${filterConditions(filter, ctx, p)}`;
}

/** One page of the queue. */
export async function listReviewItems(db: SqlClient, query: ReviewQuery, ctx: FilterContext): Promise<ReviewItemRow[]> {
  const p = new SqlParams();
  const sql = `${selectItems(query, ctx, p)} ORDER BY ${orderBy(query.sort)}
    LIMIT ${p.add(query.size)} OFFSET ${p.add((query.page - 1) * query.size)}`;
  return db.query<ReviewItemRow>(sql, p.values);
}

export interface ReviewCounts {
  /** Items matching every filter. */
  total: number;
  /** Per status, with every filter but the status one (so each status shows what it would give). */
  byStatus: Record<ReviewStatus, number>;
  /** Per severity, with every filter but the severity one. */
  bySeverity: Record<Severity, number>;
  /** Open dust items matching the filters (status aside): what "dismiss all dust" would act on. */
  openDust: number;
}

export async function reviewCounts(db: SqlClient, filter: ReviewFilter, ctx: FilterContext): Promise<ReviewCounts> {
  const p = new SqlParams();
  const source = reviewItemsSubquery(p.add(ctx.dustNotionalUsd));
  const rows = await db.query<{ status: ReviewStatus; severity: Severity; n: number; dust: number }>(
    `SELECT i.status, i.severity, count(*)::int AS n,
       (count(*) FILTER (WHERE i.is_dust AND i.status IN ('pending', 'in_review')))::int AS dust
     FROM ${source} i ${filterConditions(filter, ctx, p, ["status", "severity"])}
     GROUP BY i.status, i.severity`,
    p.values,
  );
  const statusMatches = (s: ReviewStatus) =>
    filter.status === "all" || filter.status === s || (filter.status === "open" && (s === "pending" || s === "in_review"));
  const severityMatches = (v: Severity) => !filter.severity || filter.severity === v;
  const counts: ReviewCounts = {
    total: 0,
    byStatus: Object.fromEntries(REVIEW_STATUSES.map((s) => [s, 0])) as Record<ReviewStatus, number>,
    bySeverity: Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>,
    openDust: 0,
  };
  for (const row of rows) {
    if (severityMatches(row.severity)) counts.byStatus[row.status] += row.n;
    if (statusMatches(row.status)) counts.bySeverity[row.severity] += row.n;
    if (severityMatches(row.severity) && statusMatches(row.status)) counts.total += row.n;
    if (severityMatches(row.severity)) counts.openDust += row.dust;
  }
  return counts;
}

export interface ItemRefRow {
  id: number;
  row_version: number;
}

/** The (id, row_version) of every item matching the filter: what a bulk form sends back. */
export async function reviewItemRefs(
  db: SqlClient,
  filter: Partial<ReviewFilter>,
  ctx: FilterContext,
  limit = 5000,
): Promise<ItemRefRow[]> {
  const p = new SqlParams();
  const sql = `${selectItems(filter, ctx, p, "i.id, i.row_version")} ORDER BY i.id LIMIT ${p.add(limit)}`;
  return db.query<ItemRefRow>(sql, p.values);
}

/** Every matching item in queue order, a batch at a time (CSV export). */
export async function* exportReviewItems(
  db: SqlClient,
  query: ReviewQuery,
  ctx: FilterContext,
  batchSize = 2000,
): AsyncIterable<ReviewItemRow> {
  for (let offset = 0; ; offset += batchSize) {
    const p = new SqlParams();
    const sql = `${selectItems(query, ctx, p)} ORDER BY ${orderBy(query.sort)}
      LIMIT ${p.add(batchSize)} OFFSET ${p.add(offset)}`;
    const rows = await db.query<ReviewItemRow>(sql, p.values);
    yield* rows;
    if (rows.length < batchSize) return;
  }
}

/** Versions that have review items, newest first. */
export async function reviewVersions(db: SqlClient): Promise<number[]> {
  const rows = await db.query<{ v: number }>(
    "SELECT DISTINCT allocation_version AS v FROM manual_review_queue ORDER BY v DESC",
  );
  return rows.map((r) => r.v);
}

export async function reviewSymbols(db: SqlClient, version: number | undefined): Promise<string[]> {
  const rows = await db.query<{ symbol: string }>(
    `SELECT DISTINCT symbol FROM manual_review_queue WHERE ($1::int IS NULL OR allocation_version = $1) ORDER BY symbol`,
    [version ?? null],
  );
  return rows.map((r) => r.symbol);
}

export interface ReviewerRow {
  id: number;
  email: string;
  role: string;
}

/** People who can be assigned an item (reviewers and admins). */
export async function listReviewers(db: SqlClient): Promise<ReviewerRow[]> {
  return db.query<ReviewerRow>(
    "SELECT id, email, role FROM app_users WHERE role IN ('reviewer', 'admin') ORDER BY lower(email)",
  );
}
