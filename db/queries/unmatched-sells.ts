// Unmatched sells (v_unmatched_sells): the part of each sell that no open lot covered.
import type { SqlClient } from "../sql-client";
import { baseConditions, type BaseFilters } from "./filters";
import { SqlParams } from "./params";
import type { TableSource } from "./table-source";

export interface UnmatchedFilters extends BaseFilters {
  severity?: "low" | "medium" | "high" | "critical";
  status?: "pending" | "in_review" | "resolved" | "dismissed";
}

export interface UnmatchedSellRow {
  sellTradeId: number;
  symbol: string;
  sellTime: string;
  sellSize: string;
  matchedSize: string;
  unmatchedSize: string;
  sellPrice: string;
  unmatchedNotionalUsd: string;
  oldParentId: number | null;
  oldPnlUsd: string | null;
  reviewItemId: number | null;
  severity: string | null;
  reviewStatus: string | null;
}

type Sort = "unmatched_notional_usd" | "unmatched_size" | "sell_time" | "sell_trade_id" | "symbol";

export const unmatchedSellsSource: TableSource<UnmatchedFilters, Sort> = {
  from: "FROM v_unmatched_sells u",
  where(p, f) {
    const out = baseConditions(p, f, { version: "u.allocation_version", symbol: "u.symbol", time: "u.sell_time" });
    if (f.severity) out.push(`u.severity = ${p.add(f.severity)}::text`);
    if (f.status) out.push(`u.review_status = ${p.add(f.status)}::text`);
    // The view finds each sell's review item row by row; with a review filter, first narrow the
    // sells to those having such an item at all (a few hundred ids instead of a lookup per sell).
    if ((f.severity || f.status) && f.version !== undefined) {
      const item = [`q.allocation_version = ${p.add(f.version)}::int`, "q.issue_type = 'unmatched_sell'"];
      if (f.severity) item.push(`q.severity = ${p.add(f.severity)}::text`);
      if (f.status) item.push(`q.status = ${p.add(f.status)}::text`);
      out.push(`u.sell_trade_id IN (SELECT q.trade_id FROM manual_review_queue q WHERE ${item.join(" AND ")})`);
    }
    return out;
  },
  sorts: {
    unmatched_notional_usd: { sql: "u.unmatched_notional_usd", type: "numeric" },
    unmatched_size: { sql: "u.unmatched_size", type: "numeric" },
    sell_time: { sql: "u.sell_time", type: "timestamptz" },
    sell_trade_id: { sql: "u.sell_trade_id", type: "bigint" },
    symbol: { sql: "u.symbol", type: "text" },
  },
  tieBreak: [{ sql: "u.sell_trade_id", type: "bigint" }],
  pageColumns: `u.sell_trade_id AS "sellTradeId", u.symbol, u.sell_time AS "sellTime", u.sell_size AS "sellSize",
    u.matched_size AS "matchedSize", u.unmatched_size AS "unmatchedSize", u.sell_price AS "sellPrice",
    u.unmatched_notional_usd AS "unmatchedNotionalUsd", u.old_parent_id AS "oldParentId", u.old_pnl_usd AS "oldPnlUsd",
    u.review_item_id AS "reviewItemId", u.severity, u.review_status AS "reviewStatus"`,
  csvColumns: [
    ["allocation_version", "u.allocation_version"],
    ["sell_trade_id", "u.sell_trade_id"],
    ["symbol", "u.symbol"],
    ["sell_time_utc", "u.sell_time"],
    ["sell_size", "u.sell_size"],
    ["matched_size", "u.matched_size"],
    ["unmatched_size", "u.unmatched_size"],
    ["sell_price", "u.sell_price"],
    ["unmatched_notional_usd", "u.unmatched_notional_usd"],
    ["old_parent_id", "u.old_parent_id"],
    ["old_pnl_usd", "u.old_pnl_usd"],
    ["review_item_id", "u.review_item_id"],
    ["severity", "u.severity"],
    ["review_status", "u.review_status"],
  ],
  // Without review filters the count needs only the (indexed) base table.
  async exactCount(db: SqlClient, f) {
    if (f.severity || f.status) return null;
    const p = new SqlParams();
    const where = baseConditions(p, f, { version: "allocation_version", symbol: "symbol", time: "sell_time" });
    const [row] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM fifo_unmatched_sells WHERE ${where.join(" AND ")}`,
      p.values,
    );
    return row?.n ?? 0;
  },
};
