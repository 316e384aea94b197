// Feeds a run's trades, in FIFO order and one symbol after another, through the engine: a book
// and a month-end recorder per symbol, every result to the findings. The same on one thread and
// on worker threads.
import { FifoBook, MonthEndRecorder, type LotMethod } from "@/lib/fifo";
import type { AllocationOut } from "@/db/compute/allocation-store";
import type { TradeRow } from "@/db/compute/trade-stream";
import type { FindingsCollector } from "./findings";
import type { SymbolPlan } from "./run-plan";

export interface AllocatorEvents {
  symbolStarted?(symbol: string): void;
  symbolFinished?(symbol: string): void;
}

export class TradeAllocator {
  private symbol: string | null = null;
  private book: FifoBook | null = null;
  private monthEnds = new MonthEndRecorder();

  constructor(
    private readonly method: LotMethod,
    /** Where symbols of an incremental run continue from; absent or null: from their first trade. */
    private readonly resume: ReadonlyMap<string, SymbolPlan["resumeFrom"]>,
    private readonly collector: FindingsCollector,
    private readonly events: AllocatorEvents = {},
  ) {}

  /** The next trade (same symbol, or the first of the next one); its allocations. */
  apply(trade: TradeRow): readonly AllocationOut[] {
    if (trade.symbol !== this.symbol) this.startSymbol(trade.symbol);
    this.monthEnds.beforeTrade(trade.orderTime, this.book!);
    const result = this.book!.apply(trade);
    this.collector.record(trade, result);
    return result.allocations;
  }

  /** After the last trade. */
  finish(): void {
    if (this.symbol === null || !this.book) return;
    this.collector.finishSymbol(this.symbol, this.book, this.monthEnds);
    this.events.symbolFinished?.(this.symbol);
    this.symbol = null;
    this.book = null;
  }

  private startSymbol(symbol: string): void {
    this.finish();
    const from = this.resume.get(symbol) ?? null;
    this.symbol = symbol;
    this.book = new FifoBook(symbol, from?.openLots ?? [], this.method);
    this.collector.startSymbol(from?.openLots ?? null);
    this.monthEnds = new MonthEndRecorder(from?.point.lastOrderTime ?? null);
    this.events.symbolStarted?.(symbol);
  }
}
