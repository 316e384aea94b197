// Everything a run finds besides allocations, gathered as the trades go through the engine:
// unmatched sells, unusable trades, the sells whose old PnL differs (with their cause), snapshots
// and month-end inventories. A run on several threads gathers per symbol on each
// (takeSymbol) and merges them in the trades' symbol order (absorb): the same as one thread.
import Big from "big.js";
import type { ApplyResult, FifoBook, MonthEndLots, MonthEndRecorder, OpenLot, UnmatchedSell } from "@/lib/fifo";
import { monthEndOf, utcMonthOf } from "@/lib/fifo";
import type { SnapshotOut } from "@/db/compute/allocation-store";
import type { ReviewCandidate } from "@/db/compute/review-sync";
import type { ComputeSettings } from "@/db/compute/settings";
import type { TradeRow } from "@/db/compute/trade-stream";
import { CauseTracker } from "./cause-tracker";
import { CauseTotals, type CauseTotal } from "./cause-totals";
import { invalidTradeCandidate, pnlDifference, PnlDifferenceLog, pnlDiscrepancyCandidates, unmatchedCandidate } from "./review-candidates";
import type { SymbolPlan } from "./run-plan";

/** One symbol's findings, as plain data a worker thread can post. */
export interface SymbolFindings {
  symbol: string;
  unmatched: UnmatchedSell[];
  problems: ReviewCandidate[];
  /** PnlDifferenceLog rows. */
  pnlDifferences: string[];
  causeTotals: CauseTotal[];
  invalidTrades: number;
  snapshot: SnapshotOut;
  monthEnds: MonthEndLots[];
}

/** Everything a run finds besides allocations: unmatched sells, review candidates, snapshots. */
export class FindingsCollector {
  readonly unmatched: UnmatchedSell[] = [];
  private readonly problems: ReviewCandidate[] = [];
  /** Often one per sell (the old system was wrong a lot): compact until written. */
  readonly pnlDifferences = new PnlDifferenceLog();
  causeTotals = new CauseTotals();
  private causes = new CauseTracker();
  invalidTrades = 0;
  private readonly finished = new Map<string, SnapshotOut>();
  private readonly finishedMonthEnds = new Map<string, MonthEndLots[]>();
  private last: { symbol: string; id: number; orderTime: string } | null = null;

  constructor(private readonly settings: ComputeSettings) {}

  /** A symbol starts (from the open lots an incremental run resumes, if any). */
  startSymbol(resumedLots: OpenLot[] | null): void {
    this.causes = new CauseTracker(resumedLots);
  }

  record(trade: TradeRow, result: ApplyResult): void {
    const { unmatched, unusable, allocations } = result;
    this.causes.observe(trade, result);
    this.last = { symbol: trade.symbol, id: trade.id, orderTime: trade.orderTime };
    if (unmatched) {
      this.unmatched.push(unmatched);
      this.problems.push(unmatchedCandidate(unmatched, this.settings));
    }
    if (unusable) {
      this.invalidTrades++;
      this.problems.push(invalidTradeCandidate(unusable));
    }
    if (trade.side === "sell" && !unusable && (allocations.length > 0 || unmatched)) {
      const newPnl = allocations.reduce((sum, a) => sum.plus(a.pnlUsd), new Big(0));
      const found = pnlDifference(trade, newPnl, this.settings);
      if (found) {
        const { difference, exact } = found;
        this.causes.explain({ oldParentId: trade.oldParentId, oldPnlUsd: difference.oldPnlUsd }, result, (cause) => {
          const d = { ...difference, cause };
          this.pnlDifferences.push(d);
          this.causeTotals.add(d, exact);
        });
      }
    }
  }

  /** Unmatched sells, unusable trades, and the differing sells a person must look at. */
  *candidates(acceptedCauses: ReadonlySet<string>): Iterable<ReviewCandidate> {
    yield* this.problems;
    yield* pnlDiscrepancyCandidates(this.pnlDifferences.needingReview(acceptedCauses), this.settings, acceptedCauses);
  }

  /** Symbols that read trades or were recomputed from their first trade. */
  touchedSymbols(plans: SymbolPlan[]): string[] {
    return plans.filter((plan) => !plan.resumeFrom || this.finished.has(plan.symbol)).map((plan) => plan.symbol);
  }

  finishSymbol(symbol: string, book: FifoBook, monthEnds: MonthEndRecorder): void {
    this.causes.finish();
    const last = this.last!;
    this.finishedMonthEnds.set(symbol, monthEnds.finish(book));
    this.finished.set(symbol, {
      symbol,
      lastTradeId: last.id,
      lastOrderTime: last.orderTime,
      tradesProcessed: 0, // fingerprintSnapshots counts them in SQL
      openLots: book.openLots(),
      openSize: book.openSize(),
    });
  }

  /** Month-end inventories of the symbols that had trades; a resumed symbol replaces from its resume month on. */
  monthEnds(plans: SymbolPlan[]) {
    return plans.flatMap((plan) => {
      const monthEnds = this.finishedMonthEnds.get(plan.symbol);
      if (!monthEnds) return plan.resumeFrom ? [] : [{ symbol: plan.symbol, replaceFrom: null, monthEnds: [] }];
      const resumeMonth = plan.resumeFrom ? utcMonthOf(plan.resumeFrom.point.lastOrderTime) : null;
      return [{ symbol: plan.symbol, replaceFrom: resumeMonth ? monthEndOf(resumeMonth) : null, monthEnds }];
    });
  }

  /** One snapshot per symbol of the run; symbols without new trades keep their previous point. */
  snapshots(plans: SymbolPlan[]): SnapshotOut[] {
    return plans.map((plan) => {
      const done = this.finished.get(plan.symbol);
      if (done) return done;
      const resume = plan.resumeFrom;
      return {
        symbol: plan.symbol,
        lastTradeId: resume?.point.lastTradeId ?? null,
        lastOrderTime: resume?.point.lastOrderTime ?? null,
        tradesProcessed: 0,
        openLots: resume?.openLots ?? [],
        openSize: openSizeOf(resume?.openLots ?? []),
      };
    });
  }

  /**
   * Takes what was found since the last take, all of it `symbol`'s (a worker thread's collector
   * between two symbols), and forgets it here.
   */
  takeSymbol(symbol: string): SymbolFindings {
    const snapshot = this.finished.get(symbol);
    if (!snapshot) throw new Error(`symbol ${symbol} has not finished`);
    const taken: SymbolFindings = {
      symbol,
      unmatched: this.unmatched.splice(0),
      problems: this.problems.splice(0),
      pnlDifferences: this.pnlDifferences.drain(),
      causeTotals: this.causeTotals.result(),
      invalidTrades: this.invalidTrades,
      snapshot,
      monthEnds: this.finishedMonthEnds.get(symbol) ?? [],
    };
    this.causeTotals = new CauseTotals();
    this.invalidTrades = 0;
    this.finished.delete(symbol);
    this.finishedMonthEnds.delete(symbol);
    return taken;
  }

  /** Adds a symbol's findings taken elsewhere; call in the order the symbols' trades were read. */
  absorb(found: SymbolFindings): void {
    this.unmatched.push(...found.unmatched);
    this.problems.push(...found.problems);
    this.pnlDifferences.pushEncoded(found.pnlDifferences);
    this.causeTotals.absorb(found.causeTotals);
    this.invalidTrades += found.invalidTrades;
    this.finished.set(found.symbol, found.snapshot);
    this.finishedMonthEnds.set(found.symbol, found.monthEnds);
  }
}

function openSizeOf(lots: OpenLot[]): string {
  return lots.reduce((sum, lot) => sum.plus(lot.remainingSize), new Big(0)).toFixed();
}
