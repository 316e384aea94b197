// Follows one symbol's trades through the engine and gathers, for each sell whose PnL differs,
// the facts classifyDifference needs: where its old parent stood in FIFO order at that sell.
// A parent not seen yet is decided when the symbol ends (a later trade, or none of this symbol).
import Big from "big.js";
import type { AllocationRow, ApplyResult, OpenLot } from "@/lib/fifo";
import { classifyDifference, type DiscrepancyCause, type ParentStanding } from "./discrepancy-causes";

/** A trade's place in the symbol: its FIFO lot number, or NOT_A_LOT. */
const NOT_A_LOT = -1;

interface Deferred {
  parentId: number;
  resolve: (parent: ParentStanding) => void;
}

export class CauseTracker {
  private readonly places = new Map<number, number>();
  private nextSeq = 0;
  private readonly deferred: Deferred[] = [];

  /** @param resumedLots the open lots an incremental run starts from (older lots are unknown here). */
  constructor(private readonly resumedLots: readonly OpenLot[] | null = null) {
    for (const lot of resumedLots ?? []) this.places.set(lot.buyTradeId, this.nextSeq++);
  }

  /** Every trade of the symbol, in FIFO order, after the engine applied it. */
  observe(trade: { id: number; side: string }, result: ApplyResult): void {
    const opensLot = trade.side === "buy" && !result.skipped && result.unusable === null;
    this.places.set(trade.id, opensLot ? this.nextSeq++ : NOT_A_LOT);
  }

  /**
   * The cause of a differing sell (observe it first). Calls `done` at once, or at finish() when
   * the old parent has not been seen yet.
   */
  explain(
    sell: { oldParentId: number | null; oldPnlUsd: string },
    result: ApplyResult,
    done: (cause: DiscrepancyCause) => void,
  ): void {
    const lotSeqs = result.allocations.map((a) => this.places.get(a.buyTradeId) ?? NOT_A_LOT);
    const decide = (parent: ParentStanding) =>
      done(
        classifyDifference({
          parent,
          lotSeqs,
          unmatched: result.unmatched !== null,
          oldPnlUsd: sell.oldPnlUsd,
          grossNewPnlUsd: grossPnl(result.allocations),
        }),
      );
    if (sell.oldParentId === null) return decide({ kind: "none" });
    const place = this.places.get(sell.oldParentId);
    if (place === undefined) {
      this.deferred.push({ parentId: sell.oldParentId, resolve: decide });
      return;
    }
    decide(place === NOT_A_LOT ? { kind: "not_a_lot" } : { kind: "lot", seq: place });
  }

  /** The symbol ended: parents seen after their sell are later trades; the rest are unknown. */
  finish(): void {
    for (const d of this.deferred) {
      if (this.places.has(d.parentId)) d.resolve({ kind: "later" });
      // An incremental run never sees the lots used up before its snapshot.
      else d.resolve(this.resumedLots ? { kind: "used_before_snapshot" } : { kind: "unknown" });
    }
    this.deferred.length = 0;
  }
}

function grossPnl(allocations: readonly AllocationRow[]): string {
  let gross = new Big(0);
  for (const a of allocations) gross = gross.plus(new Big(a.allocatedSize).times(new Big(a.sellPrice).minus(a.buyPrice)));
  return gross.toFixed();
}
