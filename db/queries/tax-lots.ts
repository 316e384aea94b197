// Tax lots: every allocation sold in a UTC year, as a lot with its proceeds, cost basis and gain
// (= the allocation's pnl_usd, exact), and the term: long when held more than one year. The
// holding period counts UTC calendar days, as tax rules do: a lot sold on the anniversary of its
// purchase is still short term; the day after, long.
import type { SqlClient } from "../sql-client";
import { keysetRows, type ExportRow } from "./copy-export";
import { SqlParams } from "./params";

export const TAX_LOT_HEADER = [
  "row", "symbol", "term", "size", "acquired_at", "sold_at", "proceeds_usd", "cost_basis_usd", "gain_usd",
  "sell_trade_id", "buy_trade_id",
] as const;

const TERM = `CASE WHEN (a.sell_time AT TIME ZONE 'UTC')::date > (a.buy_time AT TIME ZONE 'UTC')::date + interval '1 year'
  THEN 'long' ELSE 'short' END`;
const UTC_TEXT = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

function soldIn(p: SqlParams, version: number, year: number): string {
  const y = p.add(year);
  return `a.allocation_version = ${p.add(version)}::int
    AND a.sell_time >= make_timestamptz(${y}::int, 1, 1, 0, 0, 0, 'UTC')
    AND a.sell_time < make_timestamptz(${y}::int + 1, 1, 1, 0, 0, 0, 'UTC')`;
}

/** The lot columns in CSV order (after "row"), with the alias the page reads them by. */
const LOT_COLUMNS: [alias: string, sql: string][] = [
  ["symbol", "a.symbol"],
  ["term", TERM],
  ["size", "a.allocated_size::text"],
  ["acquiredAt", UTC_TEXT("a.buy_time")],
  ["soldAt", UTC_TEXT("a.sell_time")],
  ["proceedsUsd", "(a.allocated_size * a.sell_price - a.sell_fee_usd)::text"],
  ["costBasisUsd", "(a.allocated_size * a.buy_price + a.buy_fee_usd)::text"],
  ["gainUsd", "a.pnl_usd::text"],
  ["sellTradeId", "a.sell_trade_id"],
  ["buyTradeId", "a.buy_trade_id"],
];

function lotsQuery(p: SqlParams, version: number, year: number, limit?: number): string {
  const columns = LOT_COLUMNS.map(([alias, sql]) => `${sql} AS "${alias}"`).join(", ");
  return `SELECT 'lot' AS "row", ${columns}
    FROM fifo_allocations a
    WHERE ${soldIn(p, version, year)}
    ORDER BY a.sell_time, a.sell_trade_id, a.buy_time, a.buy_trade_id${limit ? ` LIMIT ${Math.trunc(limit)}` : ""}`;
}

export interface TaxTotal {
  /** null = all symbols */
  symbol: string | null;
  /** null = both terms */
  term: "short" | "long" | null;
  lots: number;
  size: string;
  proceedsUsd: string;
  costBasisUsd: string;
  gainUsd: string;
}

/** Totals per (symbol, term), per term over all symbols, and the year's grand total (last). */
export async function taxTotals(db: SqlClient, version: number, year: number): Promise<TaxTotal[]> {
  const p = new SqlParams();
  const where = soldIn(p, version, year);
  const rows = await db.query<{ symbol: string | null; term: "short" | "long" | null; lots: number; size: string; proceeds: string; cost: string; gain: string }>(
    `SELECT symbol, term, count(*)::int AS lots, sum(size)::text AS size, sum(proceeds)::text AS proceeds,
       sum(cost)::text AS cost, sum(gain)::text AS gain
     FROM (
       SELECT a.symbol, ${TERM} AS term, a.allocated_size AS size, a.allocated_size * a.sell_price - a.sell_fee_usd AS proceeds,
         a.allocated_size * a.buy_price + a.buy_fee_usd AS cost, a.pnl_usd AS gain
       FROM fifo_allocations a WHERE ${where}
     ) lots
     GROUP BY GROUPING SETS ((symbol, term), (term), ())
     ORDER BY symbol IS NULL, symbol COLLATE "C", term IS NULL, term`,
    p.values,
  );
  return rows.map((r) => ({ symbol: r.symbol, term: r.term, lots: r.lots, size: r.size, proceedsUsd: r.proceeds, costBasisUsd: r.cost, gainUsd: r.gain }));
}

export function taxTotalRow(t: TaxTotal): ExportRow {
  return ["total", t.symbol ?? "ALL", t.term ?? "all", t.size, null, null, t.proceedsUsd, t.costBasisUsd, t.gainUsd, null, null];
}

/** The CSV rows of the report: every lot of the year (streamed), then the totals. */
export async function* taxReportRows(db: SqlClient, version: number, year: number): AsyncIterable<ExportRow> {
  // Keyset chunks, nothing held while the client reads (copy-export.ts).
  yield* keysetRows(db, {
    from: "FROM fifo_allocations a",
    columns: () => ["'lot'", ...LOT_COLUMNS.map(([, sql]) => sql)],
    conditions: (p) => [soldIn(p, version, year)],
    keys: ["a.sell_time", "a.sell_trade_id", "a.buy_time", "a.buy_trade_id"],
    dir: "asc",
  });
  for (const total of await taxTotals(db, version, year)) yield taxTotalRow(total);
}

export interface TaxLot {
  symbol: string;
  term: "short" | "long";
  size: string;
  acquiredAt: string;
  soldAt: string;
  proceedsUsd: string;
  costBasisUsd: string;
  gainUsd: string;
  sellTradeId: number;
  buyTradeId: number;
}

/** The first lots of the year, for the page (the CSV has all of them). */
export async function firstTaxLots(db: SqlClient, version: number, year: number, limit = 200): Promise<TaxLot[]> {
  const p = new SqlParams();
  return db.query<TaxLot>(lotsQuery(p, version, year, limit), p.values);
}

/** The UTC years in which a version sold something, newest first. */
export async function taxYears(db: SqlClient, version: number): Promise<number[]> {
  const rows = await db.query<{ year: number }>(
    `SELECT DISTINCT extract(year FROM sell_time AT TIME ZONE 'UTC')::int AS year
     FROM fifo_allocations WHERE allocation_version = $1 ORDER BY 1 DESC`,
    [version],
  );
  return rows.map((r) => r.year);
}
