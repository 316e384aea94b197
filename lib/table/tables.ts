// The URL state of each dashboard table: sortable columns, default order and filters. Pages parse
// their searchParams with these; the export route parses the same query string the same way.
import { DISCREPANCY_CAUSES } from "@/lib/compute/discrepancy-causes";
import { defineTable, filterFields as f } from "./url-state";

export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
export const REVIEW_STATUSES = ["pending", "in_review", "resolved", "dismissed"] as const;
export const DISCREPANCY_TYPES = ["sell_size_mismatch", "buy_overallocated", "buy_not_before_sell", "pnl_difference"] as const;

export const unmatchedTable = defineTable({
  sortable: ["unmatched_notional_usd", "unmatched_size", "sell_time", "sell_trade_id", "symbol"],
  defaultSort: { column: "unmatched_notional_usd", dir: "desc" },
  filters: {
    version: f.version,
    symbol: f.symbol,
    from: f.day,
    to: f.day,
    severity: f.oneOf(SEVERITIES),
    status: f.oneOf(REVIEW_STATUSES),
  },
});

export const discrepanciesTable = defineTable({
  sortable: ["abs_difference", "trade_time", "trade_id"],
  defaultSort: { column: "abs_difference", dir: "desc" },
  filters: {
    version: f.version,
    symbol: f.symbol,
    from: f.day,
    to: f.day,
    type: f.oneOf(DISCREPANCY_TYPES),
    cause: f.oneOf(DISCREPANCY_CAUSES),
  },
});

export const pnlTable = defineTable({
  sortable: [
    "abs_difference", "pnl_difference_usd", "realized_pnl_usd", "old_pnl_usd", "symbol", "allocations",
    "fees_usd", "unmatched_notional_usd",
  ],
  defaultSort: { column: "abs_difference", dir: "desc" },
  filters: { version: f.version, symbol: f.symbol },
  defaultSize: 100,
});

export const allocationsTable = defineTable({
  sortable: ["sell_time", "pnl_usd", "sell_trade_id"],
  defaultSort: { column: "sell_time", dir: "desc" },
  filters: { version: f.version, symbol: f.symbol, from: f.day, to: f.day, trade: f.tradeId },
});

export const tradesTable = defineTable({
  sortable: ["order_time", "id"],
  defaultSort: { column: "order_time", dir: "desc" },
  filters: {
    version: f.version,
    symbol: f.symbol,
    from: f.day,
    to: f.day,
    side: f.oneOf(["buy", "sell"] as const),
    source: f.oneOf(["bot", "manual"] as const),
  },
});

export const TABLES = {
  unmatched: unmatchedTable,
  discrepancies: discrepanciesTable,
  pnl: pnlTable,
  allocations: allocationsTable,
  trades: tradesTable,
} as const;
export type TableName = keyof typeof TABLES;
