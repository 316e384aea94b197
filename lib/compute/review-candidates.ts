// Turns what the engine found into review-queue candidates (SPEC section 5): unmatched sells by
// notional and unusable trades. Sells whose old pnl_usd differs from the new PnL are kept with
// their cause; the review sync opens items for the few of them a person must look at.
import Big from "big.js";
import { severityFor, type UnmatchedSell, type UnusableTrade } from "@/lib/fifo";
import { compare, parseDecimal } from "@/lib/fifo/decimal";
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
  /** new - old */
  differenceUsd: string;
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
  const difference = newPnlUsd.minus(old);
  if (difference.abs().lte(settings.pnlDiscrepancyThresholdUsd)) return null;
  return {
    id: sell.id,
    symbol: sell.symbol,
    orderTime: sell.orderTime,
    oldPnlUsd: old.toFixed(),
    newPnlUsd: newPnlUsd.toFixed(),
    differenceUsd: difference.toFixed(),
    oldParentId: sell.oldParentId,
  };
}

/**
 * The differing sells a person must look at: an unexplained cause, or a difference above
 * pnl_discrepancy_item_above_usd, and never a cause accepted for the version.
 */
export function* pnlDiscrepancyCandidates(
  differences: Iterable<PnlDifference>,
  settings: ComputeSettings,
  acceptedCauses: ReadonlySet<string>,
): Iterable<ReviewCandidate> {
  const itemAbove = parseDecimal(settings.pnlDiscrepancyItemAboveUsd);
  if (itemAbove === null) throw new Error(`pnl_discrepancy_item_above_usd is not a decimal: ${settings.pnlDiscrepancyItemAboveUsd}`);
  for (const d of differences) {
    if (acceptedCauses.has(d.cause)) continue;
    if (d.cause !== "unexplained") {
      const difference = parseDecimal(d.differenceUsd)!;
      const size = difference.units < 0n ? { ...difference, units: -difference.units } : difference;
      if (compare(size, itemAbove) <= 0) continue;
    }
    yield pnlDiscrepancyCandidate(d, settings);
  }
}

function pnlDiscrepancyCandidate(d: PnlDifference, settings: ComputeSettings): ReviewCandidate {
  return {
    tradeId: d.id,
    symbol: d.symbol,
    issueType: "pnl_discrepancy",
    severity: severityFor(d.differenceUsd.replace(/^-/, ""), thresholds(settings)),
    reason:
      `Old PnL ${signedUsd(d.oldPnlUsd)}, new FIFO PnL ${signedUsd(d.newPnlUsd)} ` +
      `(difference ${signedUsd(d.differenceUsd)}); cause: ${d.cause.replace(/_/g, " ")}`,
    details: {
      month: d.orderTime.slice(0, 7),
      differenceUsd: d.differenceUsd,
      oldParentId: d.oldParentId,
      cause: d.cause,
      sellTime: d.orderTime,
    },
    unmatchedSize: null,
    notionalUsd: null,
    oldPnlUsd: d.oldPnlUsd,
    newPnlUsd: d.newPnlUsd,
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
  return `${v.lt(0) ? "-" : ""}$${grouped(v.abs().toFixed(2))}`;
}

/**
 * The texts review items had when SQL wrote them: the sign of the exact value, then the amount
 * rounded half away from zero (PostgreSQL's round), so a rerun does not rewrite every open item.
 */
function signedUsd(value: string): string {
  const v = new Big(value);
  return `${v.lt(0) ? "-" : ""}$${grouped(v.abs().round(2, Big.roundHalfUp).toFixed(2))}`;
}

function grouped(amount: string): string {
  const [int, frac = "00"] = amount.split(".");
  return `${int!.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${frac}`;
}
