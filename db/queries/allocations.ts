// Allocations (fifo_allocations): one row per (sell, lot) a version matched.
import type { SqlClient } from "../sql-client";
import { baseConditions, type BaseFilters } from "./filters";
import type { TableSource } from "./table-source";

export interface AllocationFilters extends BaseFilters {
  /** A trade id on either side of the allocation. */
  trade?: number;
}

export interface AllocationRow {
  sellTradeId: number;
  buyTradeId: number;
  symbol: string;
  allocatedSize: string;
  buyPrice: string;
  sellPrice: string;
  buyFeeUsd: string;
  sellFeeUsd: string;
  pnlUsd: string;
  buyTime: string;
  sellTime: string;
  computationId: number;
}

type Sort = "sell_time" | "pnl_usd" | "sell_trade_id";

export const allocationsSource: TableSource<AllocationFilters, Sort> = {
  from: "FROM fifo_allocations a",
  where(p, f) {
    const out = baseConditions(p, f, { version: "a.allocation_version", symbol: "a.symbol", time: "a.sell_time" });
    if (f.trade !== undefined) {
      const id = p.add(f.trade);
      out.push(`(a.sell_trade_id = ${id}::bigint OR a.buy_trade_id = ${id}::bigint)`);
    }
    return out;
  },
  sorts: {
    sell_time: { sql: "a.sell_time", type: "timestamptz" },
    pnl_usd: { sql: "a.pnl_usd", type: "numeric" },
    sell_trade_id: { sql: "a.sell_trade_id", type: "bigint" },
  },
  tieBreak: [{ sql: "a.sell_trade_id", type: "bigint" }, { sql: "a.buy_trade_id", type: "bigint" }],
  pageColumns: `a.sell_trade_id AS "sellTradeId", a.buy_trade_id AS "buyTradeId", a.symbol,
    a.allocated_size AS "allocatedSize", a.buy_price AS "buyPrice", a.sell_price AS "sellPrice",
    a.buy_fee_usd AS "buyFeeUsd", a.sell_fee_usd AS "sellFeeUsd", a.pnl_usd AS "pnlUsd",
    a.buy_time AS "buyTime", a.sell_time AS "sellTime", a.computation_id AS "computationId"`,
  csvColumns: [
    ["allocation_version", "a.allocation_version"],
    ["symbol", "a.symbol"],
    ["sell_trade_id", "a.sell_trade_id"],
    ["buy_trade_id", "a.buy_trade_id"],
    ["allocated_size", "a.allocated_size"],
    ["buy_price", "a.buy_price"],
    ["sell_price", "a.sell_price"],
    ["buy_fee_usd", "a.buy_fee_usd"],
    ["sell_fee_usd", "a.sell_fee_usd"],
    ["pnl_usd", "a.pnl_usd"],
    ["buy_time_utc", "a.buy_time"],
    ["sell_time_utc", "a.sell_time"],
    ["computation_id", "a.computation_id"],
  ],
  // Filtered by version (and symbol) only: the per-symbol counts are pre-aggregated.
  async exactCount(db: SqlClient, f) {
    if (f.from || f.to || f.trade !== undefined) return null;
    const [row] = await db.query<{ n: number }>(
      `SELECT coalesce(sum(allocations), 0)::bigint AS n FROM dash_symbol_pnl
       WHERE allocation_version = $1 AND ($2::text IS NULL OR symbol = $2::text)`,
      [f.version, f.symbol ?? null],
    );
    return row?.n ?? 0;
  },
};
