import { type Dec, ZERO, compare, formatDecimal, minDecimal, minus, plus, proRataShare, signOf, times } from "./decimal";
import { lotFromOpenLot, lotToOpenLot } from "./lot";
import { DEFAULT_LOT_METHOD, type LotMethod, OPEN_LOT_POOLS, type OpenLotPool } from "./lot-methods";
import { type OrderKey, compareOrderKeys, orderKeyOf } from "./order-key";
import { checkTrade } from "./trade-validation";
import type { AllocationRow, ApplyResult, OpenLot, TradeInput, UnmatchedSell } from "./types";

/**
 * The inventory of one symbol under one lot-selection method. Trades are applied one at a time
 * in (order_time, id) order; the book holds only open lots, so memory follows inventory, not
 * history. The method only decides which open lot a sell takes next (lot-methods.ts).
 */
export class LotBook {
  readonly symbol: string;
  readonly method: LotMethod;
  private readonly pool: OpenLotPool;
  private lastKey: OrderKey | null = null;
  private lastOrderTime = "";

  /** openLots: a snapshot of an earlier run of the same method, in any order. */
  constructor(symbol: string, openLots: OpenLot[] = [], method: LotMethod = DEFAULT_LOT_METHOD) {
    this.symbol = symbol;
    this.method = method;
    this.pool = OPEN_LOT_POOLS[method]();
    const inBuyOrder = openLots
      .map((open) => ({ open, key: orderKeyOf(open.buyTime, open.buyTradeId) }))
      .sort((a, b) => (a.key && b.key ? compareOrderKeys(a.key, b.key) : 0));
    for (const { open } of inBuyOrder) this.pool.add(lotFromOpenLot(open));
    const newest = inBuyOrder[inBuyOrder.length - 1]?.open;
    // Lots came from earlier trades, so anything applied now must come after the newest buy.
    if (newest) this.advanceOrder(newest.buyTime, newest.buyTradeId);
  }

  /** Applies one trade. Bad data is returned as `unusable`; only caller bugs throw. */
  apply(trade: TradeInput): ApplyResult {
    if (trade.symbol !== this.symbol) {
      throw new Error(`LotBook(${this.symbol}) was given trade ${trade.id} of symbol ${trade.symbol}`);
    }
    this.advanceOrder(trade.orderTime, trade.id);
    const check = checkTrade(trade);
    if (check.kind === "skipped") return { allocations: [], unmatched: null, unusable: null, skipped: true };
    if (check.kind === "unusable") {
      const unusable = { tradeId: trade.id, symbol: this.symbol, orderTime: trade.orderTime, reason: check.reason };
      return { allocations: [], unmatched: null, unusable, skipped: false };
    }
    if (check.side === "buy") {
      this.pool.add({
        buyTradeId: trade.id,
        buyTime: trade.orderTime,
        buyPriceText: formatDecimal(check.price),
        buyPrice: check.price,
        buySize: check.size,
        buyFee: check.fee,
        remaining: check.size,
        feeRemaining: check.fee,
      });
      return { allocations: [], unmatched: null, unusable: null, skipped: false };
    }
    return this.sell(trade, check.size, check.price, check.fee);
  }

  /** The open lots in the order this method would consume them (what a snapshot stores). */
  openLots(): OpenLot[] {
    return this.pool.inConsumptionOrder().map(lotToOpenLot);
  }

  openSize(): string {
    let total = ZERO;
    for (const lot of this.pool.inConsumptionOrder()) total = plus(total, lot.remaining);
    return formatDecimal(total);
  }

  /** Consumes lots in the method's order; the part no lot covers is returned as unmatched. */
  private sell(trade: TradeInput, size: Dec, price: Dec, fee: Dec): ApplyResult {
    const allocations: AllocationRow[] = [];
    const sellPriceText = formatDecimal(price);
    let sellRemaining = size;
    let sellFeeRemaining = fee;
    for (let lot = this.pool.next(); lot !== undefined && signOf(sellRemaining) > 0; lot = this.pool.next()) {
      const allocated = minDecimal(lot.remaining, sellRemaining);
      const lotEmptied = compare(allocated, lot.remaining) === 0;
      const sellFinished = compare(allocated, sellRemaining) === 0;
      // The allocation that takes the last of a trade takes the rest of its fee, so a fully
      // consumed trade's shares sum exactly to its fee despite rounding.
      const buyFeeShare = lotEmptied
        ? lot.feeRemaining
        : minDecimal(proRataShare(lot.buyFee, allocated, lot.buySize), lot.feeRemaining);
      const sellFeeShare = sellFinished
        ? sellFeeRemaining
        : minDecimal(proRataShare(fee, allocated, size), sellFeeRemaining);
      const pnl = minus(minus(times(allocated, minus(price, lot.buyPrice)), buyFeeShare), sellFeeShare);
      allocations.push({
        symbol: this.symbol,
        sellTradeId: trade.id,
        buyTradeId: lot.buyTradeId,
        allocatedSize: formatDecimal(allocated),
        buyPrice: lot.buyPriceText,
        sellPrice: sellPriceText,
        buyFeeUsd: formatDecimal(buyFeeShare),
        sellFeeUsd: formatDecimal(sellFeeShare),
        pnlUsd: formatDecimal(pnl),
        buyTime: lot.buyTime,
        sellTime: trade.orderTime,
      });
      sellRemaining = minus(sellRemaining, allocated);
      sellFeeRemaining = minus(sellFeeRemaining, sellFeeShare);
      if (lotEmptied) {
        this.pool.removeNext();
      } else {
        lot.remaining = minus(lot.remaining, allocated);
        lot.feeRemaining = minus(lot.feeRemaining, buyFeeShare);
        lot.asOpenLot = undefined;
      }
    }
    const unmatched = signOf(sellRemaining) > 0 ? this.unmatched(trade, size, price, sellRemaining) : null;
    return { allocations, unmatched, unusable: null, skipped: false };
  }

  private unmatched(trade: TradeInput, size: Dec, price: Dec, unmatchedSize: Dec): UnmatchedSell {
    return {
      sellTradeId: trade.id,
      symbol: this.symbol,
      sellTime: trade.orderTime,
      sellSize: formatDecimal(size),
      matchedSize: formatDecimal(minus(size, unmatchedSize)),
      unmatchedSize: formatDecimal(unmatchedSize),
      sellPrice: formatDecimal(price),
      notionalUsd: formatDecimal(times(unmatchedSize, price)),
    };
  }

  /** Ordering is the caller's job; a trade out of order is a bug there, so it throws. */
  private advanceOrder(orderTime: string, tradeId: number): void {
    const key =
      this.lastKey !== null && orderTime === this.lastOrderTime
        ? { utcTime: this.lastKey.utcTime, tradeId }
        : orderKeyOf(orderTime, tradeId);
    if (key === null) {
      throw new Error(`LotBook(${this.symbol}): trade ${tradeId} has an unreadable order time ${JSON.stringify(orderTime)}`);
    }
    if (this.lastKey !== null && compareOrderKeys(this.lastKey, key) >= 0) {
      throw new Error(
        `LotBook(${this.symbol}): trades must be applied in (order_time, id) order; ` +
          `trade ${tradeId} at ${orderTime} came after trade ${this.lastKey.tradeId} at ${this.lastOrderTime}`,
      );
    }
    this.lastKey = key;
    this.lastOrderTime = orderTime;
  }
}

/** The FIFO name the rest of the code grew up with; a LotBook with the default method. */
export { LotBook as FifoBook };
