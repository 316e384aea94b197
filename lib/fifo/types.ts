export type Side = "buy" | "sell";

/**
 * One row of trade_records as the database returns it: numerics are exact decimal text and may
 * be garbage ("NaN", "", "-1"); orderTime is PostgreSQL UTC text, used only to check ordering
 * and copied into allocation rows.
 */
export interface TradeInput {
  id: number;
  symbol: string;
  side: string;
  size: string;
  price: string;
  feeUsd: string | null;
  orderTime: string;
  status: string;
}

/** A buy with inventory left. JSON-serializable: stored in fifo_inventory_snapshot.open_lots. */
export interface OpenLot {
  buyTradeId: number;
  buyTime: string;
  buyPrice: string;
  buySize: string;
  buyFeeUsd: string;
  remainingSize: string;
  feeRemaining: string;
}

/** One (sell, lot) pair: how much of the lot the sell consumed, with fee shares and PnL. */
export interface AllocationRow {
  symbol: string;
  sellTradeId: number;
  buyTradeId: number;
  allocatedSize: string;
  buyPrice: string;
  sellPrice: string;
  buyFeeUsd: string;
  sellFeeUsd: string;
  pnlUsd: string;
  buyTime: string;
  sellTime: string;
}

/** The part of a sell that no open lot could cover. */
export interface UnmatchedSell {
  sellTradeId: number;
  symbol: string;
  sellTime: string;
  sellSize: string;
  matchedSize: string;
  unmatchedSize: string;
  sellPrice: string;
  /** unmatchedSize * sellPrice, exact. */
  notionalUsd: string;
}

/** A trade the engine could not use (it opens an invalid_trade review item). */
export interface UnusableTrade {
  tradeId: number;
  symbol: string;
  orderTime: string;
  /** Human readable, e.g. "size must be > 0 (got 0)". */
  reason: string;
}

export interface ApplyResult {
  allocations: AllocationRow[];
  unmatched: UnmatchedSell | null;
  unusable: UnusableTrade | null;
  /** True for a known non-filled status: ignored silently. */
  skipped: boolean;
}
