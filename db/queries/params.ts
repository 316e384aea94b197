// Builds parameterized SQL for the dashboard's tables. The same builder serves two callers:
// ordinary queries ($1, $2 ... placeholders) and COPY exports, where PostgreSQL accepts no
// parameters, so each value is read from a temporary table instead (see copy-export.ts).
import type { KeyType } from "@/lib/table/keyset";

export type ParamStyle = "placeholders" | "temp-table";

export class SqlParams {
  readonly values: unknown[] = [];
  constructor(readonly style: ParamStyle = "placeholders") {}

  /** Adds a value and returns the SQL that reads it. Always cast it in SQL: `${p.add(x)}::int`. */
  add(value: unknown): string {
    this.values.push(value);
    const n = this.values.length;
    return this.style === "placeholders" ? `$${n}` : `(SELECT v FROM pg_temp.export_params WHERE n = ${n})`;
  }
}

/**
 * A sortable column: the SQL expression to order by. The tie-breaker columns follow the same
 * direction and NULLs keep PostgreSQL's defaults, so a btree index (expr, tie...) serves the order
 * forwards and backwards.
 */
export interface SortSpec {
  sql: string;
  /** Its SQL type: what a keyset cursor's value for it must parse as. */
  type: KeyType;
}

export function orderBy(keys: readonly SortSpec[], dir: "asc" | "desc"): string {
  const d = dir.toUpperCase();
  return `ORDER BY ${keys.map((k) => `${k.sql} ${d}`).join(", ")}`;
}

/** Rows of one page and whether more follow (the query fetches size + 1 rows). */
export interface Page<R> {
  rows: R[];
  page: number;
  size: number;
  hasMore: boolean;
  /** Exact when cheap (pre-aggregated); otherwise counted up to a cap and marked inexact. */
  total: { count: number; exact: boolean };
  /** Keyset cursors of the last row (Next) and the first row (Previous); absent on an empty page. */
  cursors?: { next: string; previous: string };
}

export const COUNT_CAP = 10_000;

/** Counts matching rows up to COUNT_CAP + 1: fast however large the table. */
export async function cappedCount(
  db: { query<R>(text: string, params?: readonly unknown[]): Promise<R[]> },
  fromWhere: string,
  params: readonly unknown[],
): Promise<{ count: number; exact: boolean }> {
  const [row] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT 1 ${fromWhere} LIMIT ${COUNT_CAP + 1}) capped`,
    params,
  );
  const n = row?.n ?? 0;
  return n > COUNT_CAP ? { count: COUNT_CAP, exact: false } : { count: n, exact: true };
}

export function pageOf<R>(rows: R[], page: number, size: number, total: Page<R>["total"]): Page<R> {
  const hasMore = rows.length > size;
  return { rows: hasMore ? rows.slice(0, size) : rows, page, size, hasMore, total };
}
