// Grouping near-identical items so a reviewer is not flooded: one line per (version, symbol,
// issue type, cause, month of the trade), e.g. "42 unmatched DOGE-USD sells in 2025-03, 0.3 DOGE
// total". The cause of an item is computed in SQL (db/review/filters.ts); these are its words.
import type { IssueType } from "./workflow";

export const CAUSE_LABELS: Record<string, string> = {
  dust: "dust",
  no_open_lot: "no open lot at all",
  partly_covered: "partly covered",
  old_pnl_higher: "old PnL higher than FIFO",
  old_pnl_lower: "old PnL lower than FIFO",
  no_new_pnl: "no FIFO PnL",
  unknown_status: "unknown status",
  unknown_side: "unknown side",
  bad_size: "bad size",
  bad_price: "bad price",
  bad_fee: "bad fee",
  bad_time: "bad time",
  unusable: "unusable",
};

export function causeLabel(cause: string): string {
  return CAUSE_LABELS[cause] ?? cause.replaceAll("_", " ");
}

/** "DOGE" for "DOGE-USD" (the base asset that sizes are counted in). */
export function baseAsset(symbol: string): string {
  return symbol.split(/[-/]/)[0] || symbol;
}

export interface ReviewGroupSummary {
  symbol: string;
  issueType: IssueType;
  cause: string;
  month: string | null;
  items: number;
  /** Sum of unmatched sizes (unmatched sells), exact decimal text. */
  unmatchedSize: string | null;
  /** Sum of notional (unmatched sells) or of |old - new| PnL (discrepancies), exact decimal text. */
  amountUsd: string | null;
}

const plural = (n: number, one: string, many = `${one}s`) => (n === 1 ? one : many);

/** One line a person can read, e.g. "42 unmatched DOGE-USD sells in 2025-03 (dust), 0.3 DOGE total". */
export function groupLabel(g: ReviewGroupSummary): string {
  const when = g.month ? ` in ${g.month}` : "";
  const cause = ` (${causeLabel(g.cause)})`;
  switch (g.issueType) {
    case "unmatched_sell":
      return (
        `${g.items} unmatched ${g.symbol} ${plural(g.items, "sell")}${when}${cause}` +
        (g.unmatchedSize ? `, ${g.unmatchedSize} ${baseAsset(g.symbol)} total` : "")
      );
    case "pnl_discrepancy":
      return (
        `${g.items} ${g.symbol} ${plural(g.items, "sell")}${when} with a PnL discrepancy${cause}` +
        (g.amountUsd ? `, ${g.amountUsd} USD difference total` : "")
      );
    case "invalid_trade":
      return `${g.items} invalid ${g.symbol} ${plural(g.items, "trade")}${when}${cause}`;
  }
}
