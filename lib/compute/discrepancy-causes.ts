// Why a sell's old pnl_usd differs from its new FIFO PnL (SPEC section 5), decided from the old
// parent_id and the new allocations. Pure: facts in, one cause out. The first rule that applies
// wins, so every differing sell gets exactly one cause.
import Big from "big.js";

export const DISCREPANCY_CAUSES = [
  "fees_only",
  "stale_lot",
  "different_lot",
  "split_lots",
  "later_parent",
  "parent_not_a_lot",
  "unknown_parent",
  "no_old_match",
  "new_unmatched",
  "unexplained",
] as const;
export type DiscrepancyCause = (typeof DISCREPANCY_CAUSES)[number];

/** What each cause means, for pages and reasons. */
export const CAUSE_EXPLANATIONS: Record<DiscrepancyCause, string> = {
  fees_only: "same lot and size; the old system ignored fees",
  stale_lot: "the old parent was already used up before this sell in FIFO order",
  different_lot: "the old parent was still open, but FIFO takes older lots first",
  split_lots: "FIFO splits the sell across several lots; the old system used one",
  later_parent: "the old parent is a trade after this sell",
  parent_not_a_lot: "the old parent is not a usable buy (a sell, cancelled or invalid trade)",
  unknown_parent: "the old parent is not a trade of this symbol",
  no_old_match: "the old system recorded a PnL without a parent",
  new_unmatched: "part of the sell has no lot in FIFO order (an unmatched sell)",
  unexplained: "same lot and size, yet the old PnL is not the gross PnL: a person must look",
};

/** A cause a reviewer may accept for a version; an unexplained difference needs a person per sell. */
export function isAcceptableCause(cause: string): cause is DiscrepancyCause {
  return (DISCREPANCY_CAUSES as readonly string[]).includes(cause) && cause !== "unexplained";
}

/** Where the old parent stood when the sell was matched. */
export type ParentStanding =
  | { kind: "none" }
  /** A lot of this symbol opened before the sell; seq is its place in FIFO order. */
  | { kind: "lot"; seq: number }
  /** A lot opened before the snapshot an incremental run resumed from and no longer open. */
  | { kind: "used_before_snapshot" }
  | { kind: "not_a_lot" }
  | { kind: "later" }
  | { kind: "unknown" };

export interface SellFacts {
  parent: ParentStanding;
  /** FIFO places (seq) of the lots the new allocations consumed, in order. */
  lotSeqs: readonly number[];
  unmatched: boolean;
  oldPnlUsd: string;
  /** The new allocations' PnL before fees: sum of size * (sell price - buy price). */
  grossNewPnlUsd: string;
}

/** The old system rounded its PnL to cents. */
const CENT = new Big("0.01");

export function classifyDifference(facts: SellFacts): DiscrepancyCause {
  const { parent, lotSeqs } = facts;
  switch (parent.kind) {
    case "none":
      return "no_old_match";
    case "later":
      return "later_parent";
    case "not_a_lot":
      return "parent_not_a_lot";
    case "unknown":
      return "unknown_parent";
    default:
  }
  if (facts.unmatched) return "new_unmatched";
  if (parent.kind === "used_before_snapshot") return "stale_lot";
  const first = lotSeqs[0];
  const last = lotSeqs[lotSeqs.length - 1];
  if (first === undefined || last === undefined || parent.seq < first) return "stale_lot";
  if (parent.seq > last) return "different_lot";
  if (lotSeqs.length > 1) return "split_lots";
  const grossMatches = new Big(facts.grossNewPnlUsd).minus(facts.oldPnlUsd).abs().lte(CENT);
  return grossMatches ? "fees_only" : "unexplained";
}
