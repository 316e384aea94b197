// Turns what the engine found into review-queue candidates (SPEC section 5): unmatched sells by
// notional and unusable trades. Sells whose old pnl_usd differs from the new PnL are kept with
// their cause; the review sync opens items for the few of them a person must look at.
import Big from "big.js";
import { severityFor, type UnmatchedSell, type UnusableTrade } from "@/lib/fifo";
import type { ReviewCandidate } from "@/db/compute/review-sync";
import type { ComputeSettings } from "@/db/compute/settings";
import type { DiscrepancyCause } from "./discrepancy-causes";

export function unmatchedCandidate(u: UnmatchedSell, settings: ComputeSettings): ReviewCandidate {
  const dust = new Big(u.notionalUsd).lt(settings.dustNotionalUsd);
  const severity = dust ? "low" : severityFor(u.notionalUsd, thresholds(settings));
  const asset = u.symbol.split("-")[0] ?? u.symbol;
  return {
    tradeId: u.sellTradeId,
    symbol: u.symbol,
    issueType: "unmatched_sell",
    severity,
    reason:
      `${u.unmatchedSize} of ${u.sellSize} ${asset} sold had no open lot before it ` +
      `(unmatched notional ${formatUsd(u.notionalUsd)})${dust ? ", dust" : ""}`,
    details: {
      dust,
      month: u.sellTime.slice(0, 7),
      sellSize: u.sellSize,
      matchedSize: u.matchedSize,
      sellPrice: u.sellPrice,
      sellTime: u.sellTime,
    },
    unmatchedSize: u.unmatchedSize,
    notionalUsd: u.notionalUsd,
    oldPnlUsd: null,
    newPnlUsd: null,
  };
}

export function invalidTradeCandidate(t: UnusableTrade): ReviewCandidate {
  return {
    tradeId: t.tradeId,
    symbol: t.symbol,
    issueType: "invalid_trade",
    severity: "medium",
    reason: `Trade skipped: ${t.reason}`,
    details: { month: t.orderTime.slice(0, 7), orderTime: t.orderTime, cause: t.reason },
    unmatchedSize: null,
    notionalUsd: null,
    oldPnlUsd: null,
    newPnlUsd: null,
  };
}

/** A sell whose old pnl_usd differs from its new PnL, with its cause: kept small, a big run has many. */
export interface PnlDifference {
  id: number;
  symbol: string;
  orderTime: string;
  oldPnlUsd: string;
  newPnlUsd: string;
  oldParentId: number | null;
  cause: DiscrepancyCause;
}

/** The sell's old pnl_usd against the sum of its new allocations' PnL; null when within tolerance. */
export function pnlDifference(
  sell: { id: number; symbol: string; orderTime: string; oldPnlUsd: string | null; oldParentId: number | null },
  newPnlUsd: Big,
  settings: ComputeSettings,
): Omit<PnlDifference, "cause"> | null {
  if (sell.oldPnlUsd === null) return null;
  let old: Big;
  try {
    old = new Big(sell.oldPnlUsd);
  } catch {
    return null;
  }
  if (newPnlUsd.minus(old).abs().lte(settings.pnlDiscrepancyThresholdUsd)) return null;
  return {
    id: sell.id,
    symbol: sell.symbol,
    orderTime: sell.orderTime,
    oldPnlUsd: old.toFixed(),
    newPnlUsd: newPnlUsd.toFixed(),
    oldParentId: sell.oldParentId,
  };
}

function thresholds(settings: ComputeSettings) {
  return {
    lowBelowUsd: settings.severity.lowBelow,
    mediumBelowUsd: settings.severity.mediumBelow,
    highBelowUsd: settings.severity.highBelow,
  };
}

/** "$1,234.50" / "-$0.01": for reason texts only; stored figures stay exact. */
export function formatUsd(value: string): string {
  const v = new Big(value).round(2, Big.roundHalfEven);
  const [int, frac = "00"] = v.abs().toFixed(2).split(".");
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${v.lt(0) ? "-" : ""}$${grouped}.${frac}`;
}
