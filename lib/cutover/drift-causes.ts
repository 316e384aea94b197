// What each drift cause means, for people. The causes come from v_pnl_drift_sells; a cause this
// list does not know (e.g. from the review's own classifier) is shown as its name.
export const DRIFT_CAUSE_LABELS: Record<string, string> = {
  unmatched: "Unmatched: no open lot covers (part of) the sell",
  no_old_match: "No old match: the old system never matched the sell",
  different_lot: "Different lot: the old system used a buy FIFO does not",
  split_across_lots: "Split across lots: FIFO spreads the sell over several buys",
  same_lot: "Same lot, other amount: fees or a stale remaining size",
  unexplained: "Unexplained",
};

export function driftCauseLabel(cause: string): string {
  return DRIFT_CAUSE_LABELS[cause] ?? cause.replaceAll("_", " ");
}

export const DRIFT_CAUSE_COLORS: Record<string, string> = {
  unmatched: "#c0362c",
  no_old_match: "#b54708",
  different_lot: "#2e6bd8",
  split_across_lots: "#7a5af8",
  same_lot: "#12805c",
  unexplained: "#667085",
};
