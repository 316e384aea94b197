// Turns what the engine found into review-queue candidates (SPEC section 5): unmatched sells by
// notional and unusable trades. Sells whose old pnl_usd differs from the new PnL are kept with
// their cause; the review sync opens items for the few of them a person must look at.
import Big from "big.js";
import { severityFor, type UnmatchedSell, type UnusableTrade } from "@/lib/fifo";
import type { ReviewCandidate } from "@/db/compute/review-sync";
import type { ComputeSettings } from "@/db/compute/settings";
import { decodeCopyField, escapeCopyText } from "@/db/sql-client";
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
  /** |difference| > pnl_discrepancy_item_above_usd: an item of its own unless its cause is accepted. */
  aboveItemThreshold: boolean;
  oldParentId: number | null;
  cause: DiscrepancyCause;
}

/**
 * Every differing sell of a run, each kept as one compact string: a full run on a real history
 * has one per sell (measured at 1,000,000 trades: ~405,000), and as objects with their decimal
 * strings they held most of the run's memory. Each string is the sell's fifo_pnl_differences row
 * in COPY text (sell_trade_id .. cause) plus whether it is above the item threshold, so storing
 * the rows is a join, and picking the few a person must see reads only the last two fields.
 */
export class PnlDifferenceLog implements Iterable<PnlDifference> {
  private readonly rows: string[] = [];

  get length(): number {
    return this.rows.length;
  }

  push(d: PnlDifference): void {
    this.rows.push(
      `${d.id}\t${escapeCopyText(d.symbol)}\t${escapeCopyText(d.orderTime)}\t${d.oldParentId ?? "\\N"}\t${d.oldPnlUsd}\t${d.newPnlUsd}\t${d.differenceUsd}\t${d.cause}\t${d.aboveItemThreshold ? 1 : 0}`,
    );
  }

  /** The rows as kept, all of them, leaving the log empty (to post them to another thread). */
  drain(): string[] {
    return this.rows.splice(0);
  }

  /** Rows another log drained. */
  pushEncoded(rows: readonly string[]): void {
    for (const row of rows) this.rows.push(row);
  }

  /** COPY text for fifo_pnl_differences (DIFFERENCE_COLUMNS), in chunks of whole lines. */
  *copyLines(version: number, runId: number): Iterable<string> {
    let chunk = "";
    for (const row of this.rows) {
      chunk += `${version}\t${row.slice(0, -2)}\t${runId}\n`; // without the threshold flag
      if (chunk.length > 1 << 16) {
        yield chunk;
        chunk = "";
      }
    }
    if (chunk) yield chunk;
  }

  /** The differences whose cause is unexplained or which are above the item threshold, unless their cause is accepted. */
  *needingReview(acceptedCauses: ReadonlySet<string>): Iterable<PnlDifference> {
    for (const row of this.rows) {
      const above = row.endsWith("1");
      const cause = row.slice(row.lastIndexOf("\t", row.length - 3) + 1, -2);
      if ((above || cause === "unexplained") && !acceptedCauses.has(cause)) yield parseRow(row);
    }
  }

  *[Symbol.iterator](): Iterator<PnlDifference> {
    for (const row of this.rows) yield parseRow(row);
  }
}

function parseRow(row: string): PnlDifference {
  const [id, symbol, orderTime, oldParentId, oldPnlUsd, newPnlUsd, differenceUsd, cause, above] = row.split("\t") as [
    string, string, string, string, string, string, string, DiscrepancyCause, string,
  ];
  return {
    id: Number(id),
    symbol: decodeCopyField(symbol)!,
    orderTime: decodeCopyField(orderTime)!,
    oldParentId: oldParentId === "\\N" ? null : Number(oldParentId),
    oldPnlUsd,
    newPnlUsd,
    differenceUsd,
    aboveItemThreshold: above === "1",
    cause,
  };
}

/** The sell's old pnl_usd against the sum of its new allocations' PnL; null when within tolerance. */
export function pnlDifference(
  sell: { id: number; symbol: string; orderTime: string; oldPnlUsd: string | null; oldParentId: number | null },
  newPnlUsd: Big,
  settings: ComputeSettings,
): { difference: Omit<PnlDifference, "cause">; exact: Big } | null {
  if (sell.oldPnlUsd === null) return null;
  let old: Big;
  try {
    old = new Big(sell.oldPnlUsd);
  } catch {
    return null;
  }
  const exact = newPnlUsd.minus(old);
  const size = exact.abs();
  if (size.lte(settings.pnlDiscrepancyThresholdUsd)) return null;
  return {
    exact,
    difference: {
      id: sell.id,
      symbol: sell.symbol,
      orderTime: sell.orderTime,
      oldPnlUsd: old.toFixed(),
      newPnlUsd: newPnlUsd.toFixed(),
      differenceUsd: exact.toFixed(),
      aboveItemThreshold: size.gt(settings.pnlDiscrepancyItemAboveUsd),
      oldParentId: sell.oldParentId,
    },
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
  for (const d of differences) {
    if ((d.cause === "unexplained" || d.aboveItemThreshold) && !acceptedCauses.has(d.cause)) yield pnlDiscrepancyCandidate(d, settings);
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
