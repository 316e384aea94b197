// Trades (trade_records, the bot's fills) with the old system's values and, per row, the new
// result of the chosen version (computed for the page's rows only).
import { baseConditions } from "./filters";
import type { SqlParams } from "./params";
import type { TableSource } from "./table-source";

export interface TradeFilters {
  /** Version whose results the new-PnL columns show. */
  version: number;
  symbol?: string;
  from?: string;
  to?: string;
  side?: "buy" | "sell";
  source?: "bot" | "manual";
}

export interface TradeRow {
  id: number;
  symbol: string;
  side: string;
  size: string;
  price: string;
  feeUsd: string;
  orderTime: string;
  status: string;
  source: string;
  oldParentId: number | null;
  oldPnlUsd: string | null;
  /** Sells: new realized PnL in the version; buys: null. */
  newPnlUsd: string | null;
  /** Sells: size matched to lots; buys: size consumed by sells. */
  matchedSize: string | null;
  /** Sells: the part no lot covered. */
  unmatchedSize: string | null;
}

type Sort = "order_time" | "id";

function resultColumns(p: SqlParams, version: number) {
  const v = `${p.add(version)}::int`;
  return {
    newPnl: `CASE WHEN t.side = 'sell' THEN (SELECT sum(a.pnl_usd) FROM fifo_allocations a
      WHERE a.allocation_version = ${v} AND a.sell_trade_id = t.id) END`,
    matched: `CASE WHEN t.side = 'sell' THEN (SELECT sum(a.allocated_size) FROM fifo_allocations a
        WHERE a.allocation_version = ${v} AND a.sell_trade_id = t.id)
      WHEN t.side = 'buy' THEN (SELECT sum(a.allocated_size) FROM fifo_allocations a
        WHERE a.allocation_version = ${v} AND a.buy_trade_id = t.id) END`,
    unmatched: `(SELECT u.unmatched_size FROM fifo_unmatched_sells u WHERE u.allocation_version = ${v} AND u.sell_trade_id = t.id)`,
  };
}

export const tradesSource: TableSource<TradeFilters, Sort> = {
  from: "FROM fifo_trades t",
  where(p, f) {
    const out = baseConditions(p, f, { symbol: "t.symbol", time: "t.order_time" });
    if (f.side) out.push(`t.side = ${p.add(f.side)}::text`);
    if (f.source) out.push(`t.source = ${p.add(f.source)}::text`);
    return out;
  },
  sorts: { order_time: { sql: "t.order_time", type: "timestamptz" }, id: { sql: "t.id", type: "bigint" } },
  tieBreak: [{ sql: "t.id", type: "bigint" }],
  pageColumns(p, f) {
    const r = resultColumns(p, f.version);
    return `t.id, t.symbol, t.side, t.size, t.price, t.fee_usd AS "feeUsd", t.order_time AS "orderTime", t.status,
      t.source, t.parent_id AS "oldParentId", t.pnl_usd AS "oldPnlUsd", ${r.newPnl} AS "newPnlUsd",
      ${r.matched} AS "matchedSize", ${r.unmatched} AS "unmatchedSize"`;
  },
  csvColumns(p, f) {
    const r = resultColumns(p, f.version);
    return [
      ["id", "t.id"],
      ["symbol", "t.symbol"],
      ["side", "t.side"],
      ["size", "t.size"],
      ["price", "t.price"],
      ["fee_usd", "t.fee_usd"],
      ["order_time_utc", "t.order_time"],
      ["status", "t.status"],
      ["source", "t.source"],
      ["old_parent_id", "t.parent_id"],
      ["old_pnl_usd", "t.pnl_usd"],
      [`new_pnl_usd_v${f.version}`, r.newPnl],
      [`matched_size_v${f.version}`, r.matched],
      [`unmatched_size_v${f.version}`, r.unmatched],
    ];
  },
};
