// The open lots of a version at any month end, from fifo_inventory_month_end: per symbol, the
// row of the latest month end at or before the one asked for (months without trades carry over).
import type { SqlClient } from "../sql-client";
import type { ExportRow } from "./copy-export";
import { SqlParams } from "./params";

export const MONTH_END_LOT_HEADER = [
  "month_end", "symbol", "position", "buy_trade_id", "acquired_at", "buy_price", "remaining_size", "cost_basis_usd",
] as const;

export interface MonthEndLot {
  symbol: string;
  position: number;
  buyTradeId: number;
  acquiredAt: string;
  buyPrice: string;
  remainingSize: string;
  costBasisUsd: string;
}

/** Every month end from the version's first to its last, newest first ("YYYY-MM-DD"). */
export async function monthEndsOf(db: SqlClient, version: number): Promise<string[]> {
  const rows = await db.query<{ month_end: string }>(
    `SELECT (date_trunc('month', m) + interval '1 month - 1 day')::date::text AS month_end
     FROM (SELECT min(month_end) AS first, max(month_end) AS last FROM fifo_inventory_month_end WHERE allocation_version = $1) r,
       generate_series(date_trunc('month', r.first), r.last, interval '1 month') m
     ORDER BY 1 DESC`,
    [version],
  );
  return rows.map((r) => r.month_end);
}

function lotsAt(p: SqlParams, version: number, monthEnd: string): string {
  const m = p.add(monthEnd);
  // The cost basis still open: remaining size x buy price + the lot's remaining fee.
  return `SELECT ${m}::date::text AS "monthEnd", s.symbol, e.n::int AS position, (e.lot->>'buyTradeId')::bigint AS "buyTradeId",
      to_char((e.lot->>'buyTime')::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "acquiredAt",
      (e.lot->>'buyPrice') AS "buyPrice", (e.lot->>'remainingSize') AS "remainingSize",
      ((e.lot->>'remainingSize')::numeric * (e.lot->>'buyPrice')::numeric + (e.lot->>'feeRemaining')::numeric)::text AS "costBasisUsd"
    FROM (
      SELECT DISTINCT ON (symbol) symbol, open_lots FROM fifo_inventory_month_end
      WHERE allocation_version = ${p.add(version)}::int AND month_end <= ${m}::date
      ORDER BY symbol, month_end DESC
    ) s, jsonb_array_elements(s.open_lots) WITH ORDINALITY AS e(lot, n)
    ORDER BY s.symbol COLLATE "C", e.n`;
}

/** The open lots at a month end, in each symbol's consumption order (the version's method). */
export async function openLotsAtMonthEnd(db: SqlClient, version: number, monthEnd: string, limit = 500): Promise<MonthEndLot[]> {
  const p = new SqlParams();
  return db.query<MonthEndLot>(`${lotsAt(p, version, monthEnd)} LIMIT ${Math.trunc(limit)}`, p.values);
}

export interface MonthEndTotal {
  symbol: string;
  lots: number;
  openSize: string;
  costBasisUsd: string;
}

export async function monthEndTotals(db: SqlClient, version: number, monthEnd: string): Promise<MonthEndTotal[]> {
  const p = new SqlParams();
  return db.query<MonthEndTotal>(
    `SELECT symbol, count(*)::int AS lots, sum("remainingSize"::numeric)::text AS "openSize", sum("costBasisUsd"::numeric)::text AS "costBasisUsd"
     FROM (${lotsAt(p, version, monthEnd)}) l GROUP BY symbol ORDER BY symbol COLLATE "C"`,
    p.values,
  );
}

/** CSV rows of every open lot at the month end: one short query (open lots are few, unlike trades). */
export async function* monthEndLotRows(db: SqlClient, version: number, monthEnd: string): AsyncIterable<ExportRow> {
  const p = new SqlParams();
  const rows = await db.query<Record<string, string | number | null>>(lotsAt(p, version, monthEnd), p.values);
  for (const row of rows) yield Object.values(row).map((v) => (v === null ? null : String(v)));
}
