// The cause of a differing sell from the engine's own results, without a database: tiny ledgers
// through FifoBook and CauseTracker, as a run feeds them.
import { describe, expect, it } from "vitest";
import { FifoBook, type TradeInput } from "@/lib/fifo";
import { CauseTracker } from "@/lib/compute/cause-tracker";
import type { DiscrepancyCause } from "@/lib/compute/discrepancy-causes";
import { SYMBOL, buy, sell } from "../fifo/ledger";

type OldSell = TradeInput & { oldParentId: number | null; oldPnlUsd: string };
const old = (trade: TradeInput, oldParentId: number | null, oldPnlUsd: string): OldSell => ({ ...trade, oldParentId, oldPnlUsd });

/** Every sell with an old PnL, explained (whether or not it differs: the run asks only for those that do). */
function causes(trades: (TradeInput | OldSell)[], resumed: FifoBook | null = null): Record<number, DiscrepancyCause> {
  const book = resumed ?? new FifoBook(SYMBOL);
  const tracker = new CauseTracker(resumed ? book.openLots() : null);
  const out: Record<number, DiscrepancyCause> = {};
  for (const trade of trades) {
    const result = book.apply(trade);
    tracker.observe(trade, result);
    if ("oldPnlUsd" in trade) tracker.explain(trade, result, (cause) => (out[trade.id] = cause));
  }
  tracker.finish();
  return out;
}

describe("CauseTracker", () => {
  it("tells a used-up parent from an open one and from a split", () => {
    expect(
      causes([
        buy(1, "1", "100"), buy(2, "1", "110"), buy(3, "2", "120"),
        old(sell(4, "1", "130"), 2, "20"), // FIFO takes lot 1; lot 2 still open
        old(sell(5, "0.5", "130"), 1, "15"), // lot 1 was used up by sell 4
        old(sell(6, "2", "130"), 3, "20"), // FIFO: the rest of lot 2, then lot 3
      ]),
    ).toEqual({ 4: "different_lot", 5: "stale_lot", 6: "split_lots" });
  });

  it("waits for the end of the symbol to call a parent later or unknown", () => {
    expect(causes([buy(1, "1", "100"), old(sell(2, "1", "120"), 3, "20"), buy(3, "1", "100"), old(sell(4, "1", "120"), 99, "5")])).toEqual({
      2: "later_parent",
      4: "unknown_parent",
    });
  });

  it("fees only when the same lot covers the whole sell and the old PnL is the gross one (to the cent)", () => {
    expect(causes([buy(1, "1", "100", "0.5"), old(sell(2, "1", "120.004", "0.1"), 1, "20")])).toEqual({ 2: "fees_only" });
    expect(causes([buy(1, "1", "100", "0.5"), old(sell(2, "1", "120.02", "0.1"), 1, "20")])).toEqual({ 2: "unexplained" });
  });

  it("an incremental run cannot see lots used up before its snapshot: an unseen parent is stale there", () => {
    const book = new FifoBook(SYMBOL);
    for (const t of [buy(1, "1", "100"), buy(2, "1", "110"), sell(3, "1", "120")]) book.apply(t);
    expect(causes([old(sell(4, "1", "130"), 1, "30")], book)).toEqual({ 4: "stale_lot" });
  });
});
