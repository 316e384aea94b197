// Discrepancies (v_allocation_discrepancies, materialized per version in dash_discrepancies), with
// the cause of each PnL difference (fifo_pnl_differences, written by the run, copied into
// dash_discrepancies.cause by the read-model refresh so the cause filter reads one index).
import type { SqlClient } from "../sql-client";
import { baseConditions, type BaseFilters } from "./filters";
import type { TableSource } from "./table-source";

export type DiscrepancyType = "sell_size_mismatch" | "buy_overallocated" | "buy_not_before_sell" | "pnl_difference";

export interface DiscrepancyFilters extends BaseFilters {
  type?: DiscrepancyType;
  cause?: string;
}

export interface DiscrepancyRow {
  id: number;
  discrepancyType: DiscrepancyType;
  symbol: string;
  tradeId: number;
  relatedTradeId: number | null;
  tradeTime: string | null;
  expected: string | null;
  actual: string | null;
  difference: string | null;
  details: string;
  cause: string | null;
}

type Sort = "abs_difference" | "trade_time" | "trade_id";

export const discrepanciesSource: TableSource<DiscrepancyFilters, Sort> = {
  from: "FROM dash_discrepancies d",
  where(p, f) {
    const out = baseConditions(p, f, { version: "d.allocation_version", symbol: "d.symbol", time: "d.trade_time" });
    if (f.type) out.push(`d.discrepancy_type = ${p.add(f.type)}::text`);
    if (f.cause) out.push(`d.discrepancy_type = 'pnl_difference'`, `d.cause = ${p.add(f.cause)}::text`);
    return out;
  },
  sorts: {
    abs_difference: { sql: "d.abs_difference", type: "numeric" },
    trade_time: { sql: "d.trade_time", type: "timestamptz" },
    trade_id: { sql: "d.trade_id", type: "bigint" },
  },
  tieBreak: [{ sql: "d.id", type: "bigint" }],
  pageColumns: `d.id, d.discrepancy_type AS "discrepancyType", d.symbol, d.trade_id AS "tradeId",
    d.related_trade_id AS "relatedTradeId", d.trade_time AS "tradeTime", d.expected, d.actual, d.difference, d.details, d.cause`,
  // Without a date filter the count is pre-aggregated per symbol and type (and cause).
  async exactCount(db: SqlClient, f) {
    if (f.from || f.to) return null;
    if (f.cause) {
      if (f.type && f.type !== "pnl_difference") return 0;
      const [row] = await db.query<{ n: number }>(
        `SELECT coalesce(sum(sells), 0)::bigint AS n FROM fifo_cause_totals
         WHERE allocation_version = $1 AND ($2::text IS NULL OR symbol = $2) AND cause = $3`,
        [f.version, f.symbol ?? null, f.cause],
      );
      return row?.n ?? 0;
    }
    const [row] = await db.query<{ n: number }>(
      `SELECT coalesce(sum(discrepancies), 0)::bigint AS n FROM dash_discrepancy_counts
       WHERE allocation_version = $1 AND ($2::text IS NULL OR symbol = $2) AND ($3::text IS NULL OR discrepancy_type = $3)`,
      [f.version, f.symbol ?? null, f.type ?? null],
    );
    return row?.n ?? 0;
  },
  csvColumns: [
    ["allocation_version", "d.allocation_version"],
    ["discrepancy_type", "d.discrepancy_type"],
    ["symbol", "d.symbol"],
    ["trade_id", "d.trade_id"],
    ["related_trade_id", "d.related_trade_id"],
    ["trade_time_utc", "d.trade_time"],
    ["expected", "d.expected"],
    ["actual", "d.actual"],
    ["difference", "d.difference"],
    ["details", "d.details"],
    ["cause", "d.cause"],
  ],
};

/** Discrepancies per type for a version (the page's summary chips), pre-aggregated. */
export async function discrepancyCounts(db: SqlClient, version: number, symbol?: string): Promise<Record<string, number>> {
  const rows = await db.query<{ discrepancy_type: string; n: number }>(
    `SELECT discrepancy_type, sum(discrepancies)::bigint AS n FROM dash_discrepancy_counts
     WHERE allocation_version = $1 AND ($2::text IS NULL OR symbol = $2) GROUP BY 1`,
    [version, symbol ?? null],
  );
  return Object.fromEntries(rows.map((r) => [r.discrepancy_type, r.n]));
}
