// One description per dashboard table (what it reads, how it filters and sorts, which columns the
// page and the CSV get), and the two generic reads over it: a page of rows, and all filtered rows
// streamed for export. Both build their SQL from the same description, so the CSV holds exactly
// the rows the table shows, in the same order.
import type { SqlClient } from "../sql-client";
import { cursorFor, encodeCursor, type Cursor, type KeyType, type KeyValues } from "@/lib/table/keyset";
import { keysetRows, type ExportRow } from "./copy-export";
import { cappedCount, orderBy, pageOf, SqlParams, type Page, type SortSpec } from "./params";

export interface TableSource<F, C extends string> {
  /** `FROM ...` with its joins. */
  from: string;
  /** SQL conditions for the filters (values added through p). */
  where(p: SqlParams, filters: F): string[];
  /** Only the sort column may be NULL (PostgreSQL's default placement: last ascending). */
  sorts: Record<C, SortSpec>;
  /** Unique, non-NULL keys that complete every ordering (keep pages stable, make cursors exact). */
  tieBreak: readonly SortSpec[];
  /** The page's select list, aliased to the row type's camelCase keys. */
  pageColumns: string | ((p: SqlParams, filters: F) => string);
  /** CSV header -> SQL expression, in file order. */
  csvColumns: ReadonlyArray<readonly [string, string]> | ((p: SqlParams, filters: F) => ReadonlyArray<readonly [string, string]>);
  /** An exact total that is cheap for these filters (pre-aggregated), or null to count (capped). */
  exactCount?(db: SqlClient, filters: F): Promise<number | null>;
}

export interface TableRequest<F, C extends string> {
  filters: F;
  sort: { column: C; dir: "asc" | "desc" };
  page: number;
  size: number;
  /** Next/Previous: seek after/before these keys instead of skipping to the page number. */
  cursor?: Cursor;
}

type Dir = "asc" | "desc";
type KeyedRow = Record<string, unknown>;

const orderKeys = <F, C extends string>(source: TableSource<F, C>, column: C): SortSpec[] => [
  source.sorts[column],
  ...source.tieBreak,
];

/** A key's value as cursor text (timestamps in UTC with microseconds, see lib/table/keyset.ts). */
function keyText(key: SortSpec): string {
  if (key.type === "timestamptz") return `to_char((${key.sql}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  return `(${key.sql})::text`;
}

const SQL_TYPE: Record<KeyType, string> = { numeric: "numeric", int: "int", bigint: "bigint", text: "text", timestamptz: "timestamptz" };

/**
 * Rows after `values` when scanning the keys in `dir` with PostgreSQL's default NULL placement
 * (last ascending, first descending); only the first key may be NULL.
 */
function seekCondition(p: SqlParams, keys: SortSpec[], dir: Dir, values: KeyValues): string {
  const op = dir === "asc" ? ">" : "<";
  const param = (k: SortSpec, v: string | null) => `${p.add(v)}::${SQL_TYPE[k.type]}`;
  const [first, ...rest] = keys;
  const restAfter = () =>
    `(${rest.map((k) => k.sql).join(", ")}) ${op} (${rest.map((k, i) => param(k, values[i + 1]!)).join(", ")})`;
  if (values[0] === null) {
    if (rest.length === 0) return "false";
    return dir === "asc" ? `(${first!.sql} IS NULL AND ${restAfter()})` : `(${first!.sql} IS NOT NULL OR ${restAfter()})`;
  }
  const all = `(${keys.map((k) => k.sql).join(", ")}) ${op} (${keys.map((k, i) => param(k, values[i]!)).join(", ")})`;
  return dir === "asc" ? `(${all} OR ${first!.sql} IS NULL)` : all;
}

/**
 * One page of rows: after/before a cursor by keyset (what Next and Previous send), else by page
 * number (a shared link, or the first page). A cursor that does not fit the table's keys is
 * ignored; Previous that reaches the start shows the first page.
 */
export async function fetchPage<R, F, C extends string>(
  db: SqlClient,
  source: TableSource<F, C>,
  request: TableRequest<F, C>,
): Promise<Page<R>> {
  const keys = orderKeys(source, request.sort.column);
  const dir = request.sort.dir;
  const countTotal = async () => {
    const exact = source.exactCount ? await source.exactCount(db, request.filters) : null;
    if (exact !== null) return { count: exact, exact: true };
    const c = new SqlParams();
    return cappedCount(db, `${source.from} ${whereOf(source, c, request.filters)}`, c.values);
  };
  const cursor = request.cursor;
  const forward = cursor !== undefined && "after" in cursor;
  const values = cursor ? cursorFor("after" in cursor ? cursor.after : cursor.before, keys.map((k) => k.type)) : null;

  const readRows = (seek: KeyValues | null, scanDir: Dir, offset: number) => {
    const p = new SqlParams();
    const columns = typeof source.pageColumns === "function" ? source.pageColumns(p, request.filters) : source.pageColumns;
    const conditions = [...source.where(p, request.filters), ...(seek ? [seekCondition(p, keys, scanDir, seek)] : [])];
    const keyColumns = keys.map((k, i) => `${keyText(k)} AS "__k${i}"`).join(", ");
    return db.query<KeyedRow>(
      `SELECT ${columns}, ${keyColumns} ${source.from} ${conditions.length ? `WHERE ${conditions.join(" AND ")}` : ""}
       ${orderBy(keys, scanDir)} LIMIT ${request.size + 1}${offset > 0 ? ` OFFSET ${offset}` : ""}`,
      p.values,
    );
  };

  let rows: KeyedRow[];
  let page = request.page;
  let hasMore: boolean;
  const [total, seeked] = await Promise.all([
    countTotal(),
    values ? readRows(values, forward ? dir : reverse(dir), 0) : readRows(null, dir, (request.page - 1) * request.size),
  ]);
  if (!values || forward) {
    hasMore = seeked.length > request.size;
    rows = seeked.slice(0, request.size);
  } else if (seeked.length > request.size) {
    // Previous: read backwards from the first row shown; the cursor row itself still follows.
    rows = seeked.slice(0, request.size).reverse();
    hasMore = true;
  } else {
    // Fewer rows before the cursor than a page: that is the start, so show the first page whole.
    const first = await readRows(null, dir, 0);
    page = 1;
    hasMore = first.length > request.size;
    rows = first.slice(0, request.size);
  }
  const cursorOf = (row: KeyedRow) => encodeCursor(keys.map((_, i) => (row[`__k${i}`] ?? null) as string | null));
  const cursors = rows.length ? { next: cursorOf(rows[rows.length - 1]!), previous: cursorOf(rows[0]!) } : undefined;
  const plain = rows.map((row) => {
    const out: KeyedRow = { ...row };
    keys.forEach((_, i) => delete out[`__k${i}`]);
    return out as R;
  });
  return { ...pageOf(plain, page, request.size, total), hasMore, ...(cursors ? { cursors } : {}) };
}

const reverse = (dir: Dir): Dir => (dir === "asc" ? "desc" : "asc");

/**
 * Every filtered row, in table order, as CSV-ready text values: read in keyset chunks with nothing
 * held between them (see copy-export.ts), never all in memory.
 */
export function exportRows<F, C extends string>(
  db: SqlClient,
  source: TableSource<F, C>,
  request: Pick<TableRequest<F, C>, "filters" | "sort">,
): { header: string[]; rows: AsyncIterable<ExportRow> } {
  const csvColumns = (p: SqlParams) =>
    typeof source.csvColumns === "function" ? source.csvColumns(p, request.filters) : source.csvColumns;
  return {
    header: csvColumns(new SqlParams()).map(([name]) => name),
    rows: keysetRows(db, {
      from: source.from,
      columns: (p) => csvColumns(p).map(([, sql]) => sql),
      conditions: (p) => source.where(p, request.filters),
      keys: orderKeys(source, request.sort.column).map((k) => k.sql),
      dir: request.sort.dir,
    }),
  };
}

function whereOf<F, C extends string>(source: TableSource<F, C>, p: SqlParams, filters: F): string {
  const conditions = source.where(p, filters);
  return conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
}
