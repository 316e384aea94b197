import { type Dec, compare, formatDecimal, parseDecimal, signOf } from "./decimal";
import type { OpenLot } from "./types";

/** An open lot as the book holds it: parsed once, so the hot loop does no string parsing. */
export interface Lot {
  buyTradeId: number;
  buyTime: string;
  buyPriceText: string;
  buyPrice: Dec;
  buySize: Dec;
  buyFee: Dec;
  remaining: Dec;
  feeRemaining: Dec;
  /** The lot as text, kept until a sell changes it: month-end snapshots list the same lots often. */
  asOpenLot?: OpenLot;
}

export function lotToOpenLot(lot: Lot): OpenLot {
  return (lot.asOpenLot ??= {
    buyTradeId: lot.buyTradeId,
    buyTime: lot.buyTime,
    buyPrice: lot.buyPriceText,
    buySize: formatDecimal(lot.buySize),
    buyFeeUsd: formatDecimal(lot.buyFee),
    remainingSize: formatDecimal(lot.remaining),
    feeRemaining: formatDecimal(lot.feeRemaining),
  });
}

/**
 * Rebuilds a lot from a stored snapshot. A malformed snapshot is not trade data but our own
 * state gone wrong, so it throws: the caller should fall back to a full recompute.
 */
export function lotFromOpenLot(open: OpenLot): Lot {
  const field = (name: keyof OpenLot, text: string): Dec => {
    const value = parseDecimal(text);
    if (value === null || signOf(value) < 0) {
      throw new Error(`invalid open lot of buy ${open.buyTradeId}: ${name} = ${JSON.stringify(text)}`);
    }
    return value;
  };
  const buyPrice = field("buyPrice", open.buyPrice);
  const buySize = field("buySize", open.buySize);
  const remaining = field("remainingSize", open.remainingSize);
  const buyFee = field("buyFeeUsd", open.buyFeeUsd);
  const feeRemaining = field("feeRemaining", open.feeRemaining);
  if (signOf(remaining) === 0 || compare(remaining, buySize) > 0 || compare(feeRemaining, buyFee) > 0) {
    throw new Error(`invalid open lot of buy ${open.buyTradeId}: remaining exceeds the buy or is empty`);
  }
  return {
    buyTradeId: open.buyTradeId,
    buyTime: open.buyTime,
    buyPriceText: formatDecimal(buyPrice),
    buyPrice,
    buySize,
    buyFee,
    remaining,
    feeRemaining,
  };
}
