import { type Dec, ZERO, parseDecimal, signOf } from "./decimal";
import type { Side, TradeInput } from "./types";

/** The only status that counts (SPEC 4). Matched exactly: 'FILLED' is unknown, not filled. */
export const FILLED_STATUS = "filled";

/**
 * Statuses of orders that never became (final) fills: skipped silently, no review item.
 * 'partially_filled' is deliberately absent: it describes real executed quantity whose final
 * size is uncertain, so it goes to review as an unusable trade instead of vanishing.
 */
export const NON_FILLED_STATUSES: readonly string[] = [
  "cancelled", "canceled", "rejected", "pending", "open", "new", "expired", "failed",
];

export type TradeCheck =
  | { kind: "skipped" }
  | { kind: "unusable"; reason: string }
  | { kind: "usable"; side: Side; size: Dec; price: Dec; fee: Dec };

/** Decides whether a raw trade row counts, and parses its numbers when it does. */
export function checkTrade(trade: TradeInput): TradeCheck {
  if (trade.status !== FILLED_STATUS && NON_FILLED_STATUSES.includes(trade.status)) return { kind: "skipped" };
  const problems: string[] = [];
  if (trade.status !== FILLED_STATUS) {
    problems.push(`unknown status ${JSON.stringify(trade.status)} (only 'filled' counts; statuses are case-sensitive)`);
  }
  if (trade.side !== "buy" && trade.side !== "sell") {
    problems.push(`unknown side ${JSON.stringify(trade.side)} (expected 'buy' or 'sell', case-sensitive)`);
  }
  if (trade.orderTime === "infinity" || trade.orderTime === "-infinity") {
    problems.push(`order_time must be a finite time (got ${trade.orderTime})`);
  }
  const size = checkPositive("size", trade.size, problems);
  const price = checkPositive("price", trade.price, problems);
  const fee = trade.feeUsd === null ? ZERO : checkFee(trade.feeUsd, problems);
  if (problems.length > 0 || !size || !price || !fee) {
    return { kind: "unusable", reason: problems.join("; ") };
  }
  return { kind: "usable", side: trade.side as Side, size, price, fee };
}

function checkPositive(field: string, text: string, problems: string[]): Dec | null {
  const value = parseDecimal(text);
  if (value === null) problems.push(`${field} is not a decimal number (got ${JSON.stringify(text)})`);
  else if (signOf(value) <= 0) problems.push(`${field} must be > 0 (got ${text})`);
  else return value;
  return null;
}

function checkFee(text: string, problems: string[]): Dec | null {
  const value = parseDecimal(text);
  if (value === null) problems.push(`fee_usd is not a decimal number (got ${JSON.stringify(text)})`);
  else if (signOf(value) < 0) problems.push(`fee_usd must be >= 0 (got ${text})`);
  else return value;
  return null;
}
