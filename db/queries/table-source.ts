// One description per dashboard table (what it reads, how it filters and sorts, which columns the
// page and the CSV get), and the two generic reads over it: a page of rows, and all filtered rows
// streamed for export. Both build their SQL from the same description, so the CSV holds exactly
// the rows the table shows, in the same order.
import type { SqlClient } from "../sql-client";
import { keysetRows, type ExportRow } from "./copy-export";
import { cappedCount, orderBy, pageOf, SqlParams, type Page, type SortSpec } from "./params";

export interface TableSource<F, C extends string> {
  /** `FROM ...` with its joins. */
  from: string;
  /** SQL conditions for the filters (values added through p). */
  where(p: SqlParams, filters: F): string[];
  sorts: Record<C, SortSpec>;
  /** Unique column list that completes every ordering (keeps pages stable). */
  tieBreak: string;
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
}

export async function fetchPage<R, F, C extends string>(
  db: SqlClient,
  source: TableSource<F, C>,
  request: TableRequest<F, C>,
): Promise<Page<R>> {
  const p = new SqlParams();
  const columns = typeof source.pageColumns === "function" ? source.pageColumns(p, request.filters) : source.pageColumns;
  const order = orderBy(source.sorts[request.sort.column], request.sort.dir, source.tieBreak);
  const offset = (request.page - 1) * request.size;
  const rowsSql = `SELECT ${columns} ${source.from} ${whereOf(source, p, request.filters)} ${order} LIMIT ${request.size + 1} OFFSET ${offset}`;
  const countTotal = async () => {
    const exact = source.exactCount ? await source.exactCount(db, request.filters) : null;
    if (exact !== null) return { count: exact, exact: true };
    const c = new SqlParams();
    return cappedCount(db, `${source.from} ${whereOf(source, c, request.filters)}`, c.values);
  };
  const [rows, total] = await Promise.all([db.query<R>(rowsSql, p.values), countTotal()]);
  return pageOf(rows, request.page, request.size, total);
}

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
      keys: [source.sorts[request.sort.column].sql, ...source.tieBreak.split(",").map((c) => c.trim())],
      dir: request.sort.dir,
    }),
  };
}

function whereOf<F, C extends string>(source: TableSource<F, C>, p: SqlParams, filters: F): string {
  const conditions = source.where(p, filters);
  return conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
}
