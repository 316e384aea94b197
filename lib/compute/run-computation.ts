// One engine for the CLI and the dashboard: a run reads the trades of its symbols in FIFO order,
// feeds them through the pure engine (lib/fifo) and replaces the version's results for those
// symbols in ONE transaction, so a crash, a kill or a cancel leaves the previous results intact.
import Big from "big.js";
import { FifoBook, type OpenLot, type UnmatchedSell } from "@/lib/fifo";
import { clearResults, writeAllocations, writeSnapshots, writeUnmatchedSells, type AllocationOut, type SnapshotOut } from "@/db/compute/allocation-store";
import { syncReviewItems, type ReviewCandidate } from "@/db/compute/review-sync";
import {
  createRun,
  getRun,
  holdRunLock,
  markFinishedWithError,
  markRunning,
  markStaleRuns,
  markSucceeded,
  saveProgress,
  type RunMode,
  type RunProgress,
  type RunRow,
} from "@/db/compute/runs";
import { readComputeSettings, type ComputeSettings } from "@/db/compute/settings";
import { fingerprintSnapshots, tradesAfter } from "@/db/compute/snapshots";
import { countTrades, streamRunTrades, symbolsWithTrades, type TradeRow } from "@/db/compute/trade-stream";
import { refreshReadModels } from "@/db/read-models";
import type { SqlClient } from "@/db/sql-client";
import { liveRunIds, registerLiveRun, unregisterLiveRun } from "./live-runs";
import { ProgressTracker } from "./progress-tracker";
import { invalidTradeCandidate, pnlDiscrepancyCandidate, unmatchedCandidate } from "./review-candidates";
import { planSymbols, type SymbolPlan } from "./run-plan";

export interface RunRequest {
  version: number;
  /** null = every symbol with trades. */
  symbols: string[] | null;
  mode: RunMode;
  startedBy: string;
}

export interface RunSummary {
  runId: number;
  status: "succeeded" | "failed" | "cancelled";
  tradesRead: number;
  allocationsWritten: number;
  unmatchedSells: number;
  invalidTrades: number;
  reviewItemsOpened: number;
  reviewItemsClosed: number;
  durationMs: number;
  errors: string[];
  /** Incremental runs: symbols recomputed in full, and why. */
  fullRecomputes: { symbol: string; reason: string }[];
  /** Milliseconds per phase (plan, clear, allocate, snapshots, review, read_models). */
  timings?: Record<string, number>;
}

export interface ExecuteOptions {
  signal?: AbortSignal;
  onProgress?: (progress: RunProgress) => void;
  /** The caller (the job runner) already moved the run from queued to running. */
  alreadyClaimed?: boolean;
}

class RunCancelled extends Error {
  constructor() {
    super("cancelled on request; the previous allocations are unchanged");
  }
}

/** Queues a run after clearing runs whose process died; RunConflictError if the version is busy. */
export async function enqueueRun(db: SqlClient, request: RunRequest): Promise<number> {
  if (!Number.isSafeInteger(request.version) || request.version < 1) throw new Error("version must be a positive integer");
  await markStaleRuns(db, liveRunIds());
  const symbols = request.symbols === null ? null : [...new Set(request.symbols)].sort();
  return createRun(db, { ...request, symbols });
}

export async function computeAllocations(db: SqlClient, request: RunRequest, options: ExecuteOptions = {}): Promise<RunSummary> {
  const runId = await enqueueRun(db, request);
  return executeRun(db, runId, options);
}

export async function executeRun(db: SqlClient, runId: number, options: ExecuteOptions = {}): Promise<RunSummary> {
  if (!options.alreadyClaimed && !(await markRunning(db, runId))) return summarize(db, runId, []);
  const run = (await getRun(db, runId))!;
  const live = registerLiveRun(runId);
  const abort = () => live.abort.abort();
  options.signal?.addEventListener("abort", abort);
  if (options.signal?.aborted) abort();
  const releaseLock = await holdRunLock(db, runId);
  const fullRecomputes: { symbol: string; reason: string }[] = [];
  const timings: Record<string, number> = {};
  try {
    await db.transaction((tx) =>
      computeInTransaction(db, tx, run, {
        signal: live.abort.signal,
        publish: (progress) => {
          live.progress = progress;
          options.onProgress?.(progress);
        },
        fullRecomputes,
        timings,
      }),
    );
  } catch (error) {
    const cancelled = live.abort.signal.aborted || error instanceof RunCancelled || isCancelled(error);
    const message = cancelled ? new RunCancelled().message : errorMessage(error);
    if (!cancelled) console.error(`run #${runId} failed:`, error);
    await markFinishedWithError(db, runId, cancelled ? "cancelled" : "failed", message);
  } finally {
    options.signal?.removeEventListener("abort", abort);
    await releaseLock();
    unregisterLiveRun(runId);
  }
  return { ...(await summarize(db, runId, fullRecomputes)), timings };
}

/** Milliseconds per phase of a run, for the summary and the bench. */
function phaseTimer(into: Record<string, number>) {
  let last = performance.now();
  return (phase: string) => {
    const now = performance.now();
    into[phase] = Math.round(now - last);
    last = now;
  };
}

interface RunContext {
  timings: Record<string, number>;
  signal: AbortSignal;
  publish: (progress: RunProgress) => void;
  fullRecomputes: { symbol: string; reason: string }[];
}

async function computeInTransaction(db: SqlClient, tx: SqlClient, run: RunRow, context: RunContext): Promise<void> {
  const version = run.allocation_version;
  const reader = db.engine === "pglite" ? tx : db;
  const timer = phaseTimer(context.timings);
  const settings = await readComputeSettings(tx);
  const symbols = run.symbols ?? (await symbolsWithTrades(reader));
  const plans = await planSymbols(reader, version, symbols, run.mode);
  timer("plan");
  for (const p of plans) if (p.fullReason && run.mode === "incremental") context.fullRecomputes.push({ symbol: p.symbol, reason: p.fullReason });

  const fullSymbols = plans.filter((p) => !p.resumeFrom).map((p) => p.symbol);
  const tradesTotal =
    (fullSymbols.length ? await countTrades(reader, fullSymbols) : 0) + plans.reduce((n, p) => n + p.tradesToRead, 0);
  const tracker = new ProgressTracker(symbols.length, tradesTotal);
  let cancelRequested = false;
  const checkpoint = async (force = false) => {
    if (context.signal.aborted || cancelRequested) throw new RunCancelled();
    if (!force && !tracker.due()) return;
    const progress = tracker.snapshot();
    context.publish(progress);
    cancelRequested = await saveProgress(db, run.id, progress);
    if (cancelRequested) throw new RunCancelled();
  };
  await checkpoint(true);

  await clearResults(tx, version, fullSymbols);
  await tx.query("DELETE FROM fifo_inventory_snapshot WHERE allocation_version = $1 AND symbol = ANY ($2::text[])", [version, symbols]);
  timer("clear");

  const collector = new FindingsCollector(settings);
  const trades = run.mode === "full" ? streamRunTrades(db, tx, run.id, run.symbols !== null) : pagedTrades(reader, plans);
  tracker.phase = "computing";
  const allocationsWritten = await writeAllocations(tx, version, run.id, allocate(trades, plans, collector, tracker, checkpoint));

  timer("allocate");
  tracker.phase = "writing";
  await checkpoint(true);
  await writeUnmatchedSells(tx, version, run.id, collector.unmatched);
  await writeSnapshots(tx, version, run.id, collector.snapshots(plans));
  await fingerprintSnapshots(tx, version, symbols);
  timer("snapshots");

  tracker.phase = "reviewing";
  await checkpoint(true);
  const preserved = plans.flatMap((p) => (p.resumeFrom ? [{ symbol: p.symbol, ...p.resumeFrom.point }] : []));
  const review = await syncReviewItems(tx, run.id, version, symbols, collector.candidates, preserved);
  timer("review");
  await refreshReadModels(tx, version);
  timer("read_models");

  tracker.phase = "done";
  tracker.symbolsDone = symbols.length;
  const progress = tracker.snapshot();
  context.publish(progress);
  if (context.signal.aborted) throw new RunCancelled();
  await markSucceeded(tx, run.id, {
    tradesRead: tracker.tradesDone,
    allocationsWritten,
    unmatchedSells: collector.unmatched.length,
    invalidTrades: collector.invalidTrades,
    reviewItemsOpened: review.opened,
    reviewItemsClosed: review.closed,
    progress,
  });
}

/** Incremental runs: each symbol's trades after its snapshot point (all of them for full ones). */
async function* pagedTrades(reader: SqlClient, plans: SymbolPlan[]): AsyncIterable<TradeRow> {
  for (const plan of plans) yield* tradesAfter(reader, plan.symbol, plan.resumeFrom?.point ?? null);
}

async function* allocate(
  trades: AsyncIterable<TradeRow>,
  plans: SymbolPlan[],
  collector: FindingsCollector,
  tracker: ProgressTracker,
  checkpoint: () => Promise<void>,
): AsyncIterable<AllocationOut> {
  const resume = new Map(plans.map((p) => [p.symbol, p.resumeFrom]));
  let symbol: string | null = null;
  let book: FifoBook | null = null;
  for await (const trade of trades) {
    if (trade.symbol !== symbol) {
      if (symbol !== null && book) collector.finishSymbol(symbol, book);
      symbol = trade.symbol;
      book = new FifoBook(symbol, resume.get(symbol)?.openLots ?? []);
      tracker.symbolsDone++;
    }
    const result = book!.apply(trade);
    collector.record(trade, result.unmatched, result.unusable, result.allocations);
    tracker.tradesDone++;
    if ((tracker.tradesDone & 1023) === 0) await checkpoint();
    yield* result.allocations;
  }
  if (symbol !== null && book) collector.finishSymbol(symbol, book);
}

/** Everything a run finds besides allocations: unmatched sells, review candidates, snapshots. */
class FindingsCollector {
  readonly unmatched: UnmatchedSell[] = [];
  readonly candidates: ReviewCandidate[] = [];
  invalidTrades = 0;
  private readonly finished = new Map<string, SnapshotOut>();
  private last: { symbol: string; id: number; orderTime: string } | null = null;

  constructor(private readonly settings: ComputeSettings) {}

  record(
    trade: TradeRow,
    unmatched: UnmatchedSell | null,
    unusable: { tradeId: number; symbol: string; orderTime: string; reason: string } | null,
    allocations: readonly { pnlUsd: string }[],
  ): void {
    this.last = { symbol: trade.symbol, id: trade.id, orderTime: trade.orderTime };
    if (unmatched) {
      this.unmatched.push(unmatched);
      this.candidates.push(unmatchedCandidate(unmatched, this.settings));
    }
    if (unusable) {
      this.invalidTrades++;
      this.candidates.push(invalidTradeCandidate(unusable));
    }
    if (trade.side === "sell" && !unusable && (allocations.length > 0 || unmatched)) {
      const newPnl = allocations.reduce((sum, a) => sum.plus(a.pnlUsd), new Big(0));
      const candidate = pnlDiscrepancyCandidate(trade, newPnl, this.settings);
      if (candidate) this.candidates.push(candidate);
    }
  }

  finishSymbol(symbol: string, book: FifoBook): void {
    const last = this.last!;
    this.finished.set(symbol, {
      symbol,
      lastTradeId: last.id,
      lastOrderTime: last.orderTime,
      tradesProcessed: 0, // fingerprintSnapshots counts them in SQL
      openLots: book.openLots(),
      openSize: book.openSize(),
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
}

function openSizeOf(lots: OpenLot[]): string {
  return lots.reduce((sum, lot) => sum.plus(lot.remainingSize), new Big(0)).toFixed();
}

async function summarize(db: SqlClient, runId: number, fullRecomputes: RunSummary["fullRecomputes"]): Promise<RunSummary> {
  const row = (await getRun(db, runId))!;
  return {
    runId,
    status: row.status === "succeeded" || row.status === "cancelled" ? row.status : "failed",
    tradesRead: row.trades_read,
    allocationsWritten: row.allocations_written,
    unmatchedSells: row.unmatched_sells,
    invalidTrades: row.invalid_trades,
    reviewItemsOpened: row.review_items_opened,
    reviewItemsClosed: row.review_items_closed,
    durationMs: row.duration_ms ?? 0,
    errors: row.errors.map((e) => e.message),
    fullRecomputes,
  };
}

function isCancelled(error: unknown): boolean {
  for (let e = error as { cause?: unknown; name?: string } | undefined; e; e = e.cause as typeof e) {
    if (e instanceof RunCancelled || e.name === "AbortError") return true;
  }
  return false;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
