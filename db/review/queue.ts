// Reads for the review queue page: one page of items (filtered and sorted on the server), the
// counts per status and severity, the choices of the filter menus, and whole selections for bulk
// actions and the CSV export.
import type { ReviewFilter, ReviewQuery, ReviewSort } from "@/lib/review/query";
import type { ReviewStatus, Severity } from "@/lib/review/workflow";
import { REVIEW_STATUSES, SEVERITIES } from "@/lib/review/workflow";
import type { SqlClient } from "../sql-client";
import {
  type FilterContext,
  NOTIONAL_ORDER_SQL,
  SEVERITY_ORDER_SQL,
  SEVERITY_RANK_SQL,
  STATUS_RANK_SQL,
  SqlParams,
  filterConditions,
  needsDerivedColumns,
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

/**
 * A sort as keys in one direction, so a page can start right after (or before) an item: the
 * keyset `(keys) > (the item's keys)` instead of OFFSET, which would read every earlier row.
 * `seek` is the NULL-free form of a nullable key (NULLs sort last in both directions).
 */
interface SortKey {
  sql: string;
  nullable?: { infinity: string };
}

function sortKeys(sort: ReviewSort): { keys: SortKey[]; dir: "ASC" | "DESC" } {
  const dir = sort.direction === "asc" ? "ASC" : "DESC";
  const id = { sql: "i.id" };
  const numeric = { infinity: "numeric" };
  switch (sort.column) {
    case "priority":
      // Pending critical first: open before closed, strongest severity, biggest notional, oldest.
      // All ascending, in the exact expressions of manual_review_queue_priority_seek_idx (0008).
      return { keys: [{ sql: STATUS_RANK_SQL }, { sql: SEVERITY_ORDER_SQL }, { sql: NOTIONAL_ORDER_SQL }, id], dir: "ASC" };
    case "severity":
      return { keys: [{ sql: SEVERITY_RANK_SQL }, id], dir };
    case "status":
      return { keys: [{ sql: STATUS_RANK_SQL }, id], dir };
    case "symbol":
      return { keys: [{ sql: "i.symbol" }, id], dir };
    case "type":
      return { keys: [{ sql: "i.issue_type" }, id], dir };
    case "notional":
      return { keys: [{ sql: "i.notional_usd", nullable: numeric }, id], dir };
    case "unmatched":
      return { keys: [{ sql: "i.unmatched_size", nullable: numeric }, id], dir };
    case "trade_time":
      return { keys: [{ sql: "i.trade_time", nullable: { infinity: "timestamptz" } }, id], dir };
    case "created":
      return { keys: [{ sql: "i.created_at" }, id], dir };
    case "updated":
      return { keys: [{ sql: "i.updated_at" }, id], dir };
    case "id":
      return { keys: [id], dir };
  }
}

function orderBy(keys: SortKey[], dir: "ASC" | "DESC"): string {
  return keys.map((k) => `${k.sql} ${dir}${k.nullable ? " NULLS LAST" : ""}`).join(", ");
}

/** A key as compared in a keyset: NULLs become the end of the order (they sort last). */
function seekSql(key: SortKey, dir: "ASC" | "DESC"): string {
  if (!key.nullable) return key.sql;
  const end = dir === "ASC" ? "infinity" : "-infinity";
  return `coalesce(${key.sql}, '${end}'::${key.nullable.infinity})`;
}

const reverse = (dir: "ASC" | "DESC") => (dir === "ASC" ? "DESC" : "ASC");

/**
 * The rows after (or before) the cursor item in the query's order, or null when the cursor item
 * is gone (then the page falls back to its number).
 */
async function keysetPage(
  db: SqlClient,
  query: ReviewQuery,
  ctx: FilterContext,
  cursor: { after: number } | { before: number },
  limit: number,
): Promise<ReviewItemRow[] | null> {
  const { keys, dir } = sortKeys(query.sort);
  const forward = "after" in cursor;
  const at = forward ? cursor.after : cursor.before;
  // The cursor item's own keys, in the same NULL-free form as the comparison.
  const k = new SqlParams();
  const seeks = keys.map((key) => seekSql(key, dir));
  const [values] = await db.query<Record<string, unknown>>(
    `SELECT ${seeks.map((sql, n) => `(${sql})::text AS k${n}`).join(", ")}
     FROM ${reviewItemsSubquery(k.add(ctx.dustNotionalUsd))} i WHERE i.id = ${k.add(at)}`,
    k.values,
  );
  if (!values) return null;
  const p = new SqlParams();
  const source = reviewItemsSubquery(p.add(ctx.dustNotionalUsd));
  const where = filterConditions(query, ctx, p);
  const op = forward === (dir === "ASC") ? ">" : "<";
  const seek = `(${seeks.join(", ")}) ${op} (${keys.map((_, n) => p.add(values[`k${n}`])).join(", ")})`;
  const scanDir = forward ? dir : reverse(dir);
  const rows = await db.query<ReviewItemRow>(
    `SELECT ${ROW_COLUMNS} FROM ${source} i ${where ? `${where} AND` : "WHERE"} ${seek}
     ORDER BY ${orderByIn(keys, scanDir, dir)} LIMIT ${p.add(limit)}`,
    p.values,
  );
  return forward ? rows : rows.reverse();
}

/** ORDER BY in `scanDir`; nullable keys keep NULLs at the end of `dir` (so first when reversed). */
function orderByIn(keys: SortKey[], scanDir: "ASC" | "DESC", dir: "ASC" | "DESC"): string {
  return keys.map((k) => `${k.sql} ${scanDir}${k.nullable ? (scanDir === dir ? " NULLS LAST" : " NULLS FIRST") : ""}`).join(", ");
}

function selectItems(filter: Partial<ReviewFilter>, ctx: FilterContext, p: SqlParams, columns = ROW_COLUMNS): string {
  const source = reviewItemsSubquery(p.add(ctx.dustNotionalUsd));
  return `SELECT ${columns} FROM ${source} i ${filterConditions(filter, ctx, p)}`;
}

/**
 * One page of the queue: after/before a cursor item by keyset (what Next and Previous send), else
 * by page number (a shared link, or the first page).
 */
export async function listReviewItems(db: SqlClient, query: ReviewQuery, ctx: FilterContext): Promise<ReviewItemRow[]> {
  const cursor = query.after ? { after: query.after } : query.before ? { before: query.before } : null;
  if (cursor) {
    const rows = await keysetPage(db, query, ctx, cursor, query.size);
    if (rows) return rows;
  }
  const { keys, dir } = sortKeys(query.sort);
  const p = new SqlParams();
  const offset = (query.page - 1) * query.size;
  const sql = `${selectItems(query, ctx, p)} ORDER BY ${orderBy(keys, dir)}
    LIMIT ${p.add(query.size)}${offset > 0 ? ` OFFSET ${p.add(offset)}` : ""}`;
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
  const rows = needsDerivedColumns(filter) ? await countsWithDerived(db, filter, ctx) : await countsFromTable(db, filter, ctx);
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

type CountRow = { status: ReviewStatus; severity: Severity; n: number; dust: number };

/** Counts when a filter needs the derived columns: one pass over the joined items. */
function countsWithDerived(db: SqlClient, filter: ReviewFilter, ctx: FilterContext): Promise<CountRow[]> {
  const p = new SqlParams();
  const source = reviewItemsSubquery(p.add(ctx.dustNotionalUsd));
  return db.query<CountRow>(
    `SELECT i.status, i.severity, count(*)::int AS n,
       (count(*) FILTER (WHERE i.is_dust AND i.status IN ('pending', 'in_review')))::int AS dust
     FROM ${source} i ${filterConditions(filter, ctx, p, ["status", "severity"])}
     GROUP BY i.status, i.severity`,
    p.values,
  );
}

/**
 * The same counts when every filter is a column of manual_review_queue: the per status and severity
 * counts from the table alone (an index-only scan of manual_review_queue_counts_idx), and the open
 * dust only among open unmatched sells (the only items that can be dust), joined to their trades.
 */
async function countsFromTable(db: SqlClient, filter: ReviewFilter, ctx: FilterContext): Promise<CountRow[]> {
  const p = new SqlParams();
  const countsQuery = db.query<{ status: ReviewStatus; severity: Severity; n: number }>(
    `SELECT i.status, i.severity, count(*)::int AS n
     FROM manual_review_queue i ${filterConditions(filter, ctx, p, ["status", "severity"])}
     GROUP BY i.status, i.severity`,
    p.values,
  );
  const d = new SqlParams();
  const dustParam = d.add(ctx.dustNotionalUsd);
  const source = reviewItemsSubquery(dustParam);
  const where = filterConditions(filter, ctx, d, ["status", "severity"]);
  // is_dust implies notional_usd IS NULL OR notional_usd < dust: stated on the table, so only those
  // items are joined to their trades.
  const dustQuery = db.query<{ severity: Severity; dust: number }>(
    `SELECT i.severity, count(*)::int AS dust
     FROM ${source} i ${where ? `${where} AND` : "WHERE"} i.issue_type = 'unmatched_sell'
       AND i.status IN ('pending', 'in_review') AND ${STATUS_RANK_SQL} <= 1
       AND (i.notional_usd IS NULL OR i.notional_usd < ${dustParam}::numeric) AND i.is_dust
     GROUP BY i.severity`,
    d.values,
  );
  const [counts, dust] = await Promise.all([countsQuery, dustQuery]);
  // Open dust is counted once per severity (on its pending row), which is all the caller sums.
  const rows: CountRow[] = counts.map((r) => ({ ...r, dust: 0 }));
  for (const r of dust) {
    const row = rows.find((x) => x.severity === r.severity && (x.status === "pending" || x.status === "in_review"));
    if (row) row.dust += r.dust;
  }
  return rows;
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

/**
 * Every matching item in queue order, a batch at a time (CSV export). The order is taken once, as
 * ids only (8 bytes an item), then rows are read by id a batch at a time: no OFFSET, whose cost
 * grows with every page, and a consistent order even while reviewers keep working.
 */
export async function* exportReviewItems(
  db: SqlClient,
  query: ReviewQuery,
  ctx: FilterContext,
  batchSize = 2000,
): AsyncIterable<ReviewItemRow> {
  const { keys, dir } = sortKeys(query.sort);
  const p = new SqlParams();
  let rows = await db.query<ReviewItemRow>(
    `${selectItems(query, ctx, p)} ORDER BY ${orderBy(keys, dir)} LIMIT ${p.add(batchSize)}`,
    p.values,
  );
  // Each next batch starts after the last row sent (keyset), never re-reading earlier rows.
  while (rows.length > 0) {
    yield* rows;
    if (rows.length < batchSize) return;
    rows = (await keysetPage(db, query, ctx, { after: rows[rows.length - 1]!.id }, batchSize)) ?? [];
  }
}

/** Versions that have review items, newest first (a skip scan: one index probe per version). */
export async function reviewVersions(db: SqlClient): Promise<number[]> {
  const rows = await db.query<{ v: number }>(
    `WITH RECURSIVE versions AS (
       (SELECT allocation_version AS v FROM manual_review_queue ORDER BY allocation_version DESC LIMIT 1)
       UNION ALL
       SELECT (SELECT q.allocation_version FROM manual_review_queue q WHERE q.allocation_version < versions.v
               ORDER BY q.allocation_version DESC LIMIT 1)
       FROM versions WHERE versions.v IS NOT NULL
     )
     SELECT v FROM versions WHERE v IS NOT NULL ORDER BY v DESC`,
  );
  return rows.map((r) => r.v);
}

/** Symbols that have review items in a version (all versions without one), sorted. */
export async function reviewSymbols(db: SqlClient, version: number | undefined): Promise<string[]> {
  const versions = version === undefined ? await reviewVersions(db) : [version];
  // A skip scan of (allocation_version, symbol, ...) per version: one index probe per symbol.
  const rows = await db.query<{ symbol: string }>(
    `SELECT DISTINCT s.symbol FROM unnest($1::int[]) AS v(version)
     CROSS JOIN LATERAL (
       WITH RECURSIVE symbols AS (
         (SELECT q.symbol FROM manual_review_queue q WHERE q.allocation_version = v.version ORDER BY q.symbol LIMIT 1)
         UNION ALL
         SELECT (SELECT q.symbol FROM manual_review_queue q WHERE q.allocation_version = v.version AND q.symbol > symbols.symbol
                 ORDER BY q.symbol LIMIT 1)
         FROM symbols WHERE symbols.symbol IS NOT NULL
       )
       SELECT symbol FROM symbols WHERE symbol IS NOT NULL
     ) s
     ORDER BY s.symbol`,
    [versions],
  );
  return rows.map((r) => r.symbol);
}

export interface ReviewerRow {
  id: number;
  email: string;
  role: string;
}

/** People who can be assigned an item (enabled reviewers and admins). */
export async function listReviewers(db: SqlClient): Promise<ReviewerRow[]> {
  return db.query<ReviewerRow>(
    "SELECT id, email, role FROM app_users WHERE role IN ('reviewer', 'admin') AND disabled_at IS NULL ORDER BY lower(email)",
  );
}
