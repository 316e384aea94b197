import { type Dec, ZERO, compare, formatDecimal, minDecimal, minus, plus, proRataShare, signOf, times } from "./decimal";
import { type Lot, lotFromOpenLot, lotToOpenLot } from "./lot";
import { type OrderKey, compareOrderKeys, orderKeyOf } from "./order-key";
import { checkTrade } from "./trade-validation";
import type { AllocationRow, ApplyResult, OpenLot, TradeInput, UnmatchedSell } from "./types";

// Consumed lots stay in the array until this many pile up, so a sell costs O(lots it touches).
const COMPACT_AFTER = 1024;

/**
 * The FIFO inventory of one symbol. Trades are applied one at a time in (order_time, id) order;
 * the book holds only open lots, so memory follows inventory, not history.
 */
export class FifoBook {
  readonly symbol: string;
  private lots: Lot[] = [];
  private head = 0;
  private lastKey: OrderKey | null = null;
  private lastOrderTime = "";

  constructor(symbol: string, openLots: OpenLot[] = []) {
    this.symbol = symbol;
    this.lots = openLots.map(lotFromOpenLot);
    const newest = openLots[openLots.length - 1];
    // Lots came from earlier trades, so anything applied now must come after the newest buy.
    if (newest) this.advanceOrder(newest.buyTime, newest.buyTradeId);
  }

  /** Applies one trade. Bad data is returned as `unusable`; only caller bugs throw. */
  apply(trade: TradeInput): ApplyResult {
    if (trade.symbol !== this.symbol) {
      throw new Error(`FifoBook(${this.symbol}) was given trade ${trade.id} of symbol ${trade.symbol}`);
    }
    this.advanceOrder(trade.orderTime, trade.id);
    const check = checkTrade(trade);
    if (check.kind === "skipped") return { allocations: [], unmatched: null, unusable: null, skipped: true };
    if (check.kind === "unusable") {
      const unusable = { tradeId: trade.id, symbol: this.symbol, orderTime: trade.orderTime, reason: check.reason };
      return { allocations: [], unmatched: null, unusable, skipped: false };
    }
    if (check.side === "buy") {
      this.lots.push({
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

  openLots(): OpenLot[] {
    return this.lots.slice(this.head).map(lotToOpenLot);
  }

  openSize(): string {
    let total = ZERO;
    for (let i = this.head; i < this.lots.length; i++) total = plus(total, this.lots[i]!.remaining);
    return formatDecimal(total);
  }

  /** Consumes the oldest lots first; the part no lot covers is returned as unmatched. */
  private sell(trade: TradeInput, size: Dec, price: Dec, fee: Dec): ApplyResult {
    const allocations: AllocationRow[] = [];
    const sellPriceText = formatDecimal(price);
    let sellRemaining = size;
    let sellFeeRemaining = fee;
    while (signOf(sellRemaining) > 0 && this.head < this.lots.length) {
      const lot = this.lots[this.head]!;
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
        this.head++;
      } else {
        lot.remaining = minus(lot.remaining, allocated);
        lot.feeRemaining = minus(lot.feeRemaining, buyFeeShare);
      }
    }
    this.compact();
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

  private compact(): void {
    if (this.head === this.lots.length) {
      this.lots = [];
      this.head = 0;
    } else if (this.head >= COMPACT_AFTER && this.head * 2 >= this.lots.length) {
      this.lots = this.lots.slice(this.head);
      this.head = 0;
    }
  }

  /** Ordering is the caller's job; a trade out of order is a bug there, so it throws. */
  private advanceOrder(orderTime: string, tradeId: number): void {
    const key =
      this.lastKey !== null && orderTime === this.lastOrderTime
        ? { utcTime: this.lastKey.utcTime, tradeId }
        : orderKeyOf(orderTime, tradeId);
    if (key === null) {
      throw new Error(`FifoBook(${this.symbol}): trade ${tradeId} has an unreadable order time ${JSON.stringify(orderTime)}`);
    }
    if (this.lastKey !== null && compareOrderKeys(this.lastKey, key) >= 0) {
      throw new Error(
        `FifoBook(${this.symbol}): trades must be applied in (order_time, id) order; ` +
          `trade ${tradeId} at ${orderTime} came after trade ${this.lastKey.tradeId} at ${this.lastOrderTime}`,
      );
    }
    this.lastKey = key;
    this.lastOrderTime = orderTime;
  }
}
