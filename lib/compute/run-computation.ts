// One engine for the CLI and the dashboard: a run reads the trades of its symbols in FIFO order,
// feeds them through the pure engine (lib/fifo) and replaces the version's results for those
// symbols in ONE transaction, so a crash, a kill or a cancel leaves the previous results intact.
import type { LotMethod } from "@/lib/fifo";
import { fixVersionMethod, methodForRun } from "@/db/compute/methods";
import { ALLOCATION_COLUMNS, clearResults, writeAllocations, writeSnapshots, writeUnmatchedSells, type AllocationOut, type SnapshotOut } from "@/db/compute/allocation-store";
import { ensureVersionPartition, partitionName, replaceVersionAllocations } from "@/db/compute/version-partitions";
import { acceptedCauses } from "@/db/compute/pnl-differences";
import { syncReviewItems } from "@/db/compute/review-sync";
import {
  createRun,
  getRun,
  holdRunLock,
  markFinishedWithError,
  markRunning,
  markStaleRuns,
  markSucceeded,
  RunClaimLostError,
  RunEndNotRecordedError,
  saveProgress,
  type RunMode,
  type RunProgress,
  type RunRow,
} from "@/db/compute/runs";
import { readComputeSettings, type ComputeSettings } from "@/db/compute/settings";
import { advanceFingerprints, fingerprintSnapshots, fingerprintsAtPoints, type PointFingerprint } from "@/db/compute/snapshot-fingerprints";
import { tradesAfter, tradesStamp, writeMonthEnds } from "@/db/compute/snapshots";
import { withTradesSnapshot } from "@/db/compute/trade-snapshot";
import { countTrades, runTradesQuery, streamRunTrades, symbolsWithTrades, type TradeRow } from "@/db/compute/trade-stream";
import type { ResumedSymbol } from "@/db/read-model-delta";
import { refreshReadModels, sourceStamp } from "@/db/read-models";
import type { SqlClient } from "@/db/sql-client";
import { liveRunIds, registerLiveRun, unregisterLiveRun } from "./live-runs";
import { ProgressTracker } from "./progress-tracker";
import { allocationWorkerCount, type AllocationWorkers, startAllocationWorkers } from "./allocate-on-workers";
import { FindingsCollector } from "./findings";
import { TradeAllocator } from "./trade-allocator";
import { planSymbols, type SymbolPlan } from "./run-plan";

export interface RunRequest {
  version: number;
  /** null = every symbol with trades. */
  symbols: string[] | null;
  mode: RunMode;
  startedBy: string;
  /** Lot selection for a new version; an existing version keeps its own (asking for another is refused). */
  method?: LotMethod;
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
  /**
   * Worker threads for a full run's matching on a real server; 0 = this thread. Default:
   * allocationWorkerCount() for runs of at least WORKERS_FROM_TRADES trades.
   */
  allocationWorkers?: number;
}

/** Below this many trades, starting workers costs more than they save. */
const WORKERS_FROM_TRADES = 50_000;

class RunCancelled extends Error {
  constructor() {
    super("cancelled on request; the previous allocations are unchanged");
  }
}

/**
 * Queues a run after clearing runs whose process died; RunConflictError if the version is busy,
 * MethodConflictError if it asks for another method than the version's.
 */
export async function enqueueRun(db: SqlClient, request: RunRequest): Promise<number> {
  if (!Number.isSafeInteger(request.version) || request.version < 1) throw new Error("version must be a positive integer");
  await methodForRun(db, request.version, request.method ?? null);
  await markStaleRuns(db, liveRunIds());
  const symbols = request.symbols === null ? null : [...new Set(request.symbols)].sort();
  return createRun(db, { ...request, symbols });
}

export async function computeAllocations(db: SqlClient, request: RunRequest, options: ExecuteOptions = {}): Promise<RunSummary> {
  const runId = await enqueueRun(db, request);
  return executeRun(db, runId, options);
}

export async function executeRun(db: SqlClient, runId: number, options: ExecuteOptions = {}): Promise<RunSummary> {
  // Registered before the first await, so a cancel that arrives right after the claim is seen.
  const live = registerLiveRun(runId);
  const abort = () => live.abort.abort();
  options.signal?.addEventListener("abort", abort);
  if (options.signal?.aborted) abort();
  const fullRecomputes: { symbol: string; reason: string }[] = [];
  const timings: Record<string, number> = {};
  let releaseLock: (() => Promise<void>) | null = null;
  // --- claim (db/compute/runs.ts): a run whose lock connection dies stops and is marked failed.
  let lostClaim: string | null = null;
  try {
    if (!options.alreadyClaimed && !(await markRunning(db, runId))) return summarize(db, runId, []);
    const claim = await holdRunLock(db, runId);
    releaseLock = claim.release;
    claim.lost.addEventListener("abort", () => {
      lostClaim = errorMessage(claim.lost.reason);
      abort();
    });
    const run = (await getRun(db, runId))!;
    if (run.cancel_requested) abort();
    await computeRun(db, run, {
      signal: live.abort.signal,
      publish: (progress) => {
        live.progress = progress;
        options.onProgress?.(progress);
      },
      fullRecomputes,
      timings,
      allocationWorkers: options.allocationWorkers,
    });
  } catch (error) {
    const lost = lostClaim ?? (error instanceof RunClaimLostError ? error.message : null);
    const cancelled = !lost && (live.abort.signal.aborted || error instanceof RunCancelled || isCancelled(error));
    const message = lost ?? (cancelled ? new RunCancelled().message : errorMessage(error));
    if (!cancelled) console.error(`run #${runId} failed:`, error);
    const status = cancelled ? "cancelled" : "failed";
    // The database may be unreachable right now: the runner records the outcome once it is back.
    await markFinishedWithError(db, runId, status, message).catch((recordError: unknown) => {
      throw new RunEndNotRecordedError(runId, status, message, recordError);
    });
  } finally {
    options.signal?.removeEventListener("abort", abort);
    await releaseLock?.();
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
  allocationWorkers: number | undefined;
}

interface PreparedRun {
  run: RunRow;
  method: LotMethod;
  settings: ComputeSettings;
  symbols: string[];
  plans: SymbolPlan[];
  tracker: ProgressTracker;
  timer: (phase: string) => void;
  /** Where the run reads trades (one snapshot for reading and fingerprinting). */
  reader: SqlClient;
  /** Publishes progress when due and throws RunCancelled on a cancel request. */
  checkpoint: (force?: boolean) => Promise<void>;
}

/**
 * A real server streams: trades come out of one connection while allocations go into the run's
 * transaction on another, so memory stays flat. PGlite has a single connection, and an open
 * transaction there blocks every other query of the dashboard, so it computes first (outside any
 * transaction, yielding to the server between batches) and then writes in one short transaction,
 * after checking the trades did not change meanwhile.
 */
async function computeRun(db: SqlClient, run: RunRow, context: RunContext): Promise<void> {
  const { previousStamp, touched, resumed } = await computeAndCommit(db, run, context);
  // The dashboard's pre-aggregations, after the commit: the allocations are the run's result and
  // must not wait on (or fail with) the charts. Pages rebuild stale read models themselves.
  const started = performance.now();
  try {
    // A full run replaces most rows of these tables: fresh statistics keep the pages' plans sane.
    // An incremental run adds a few rows; autovacuum's statistics stay good enough for those.
    const analyze = run.mode === "full"
      ? [
          partitionName(run.allocation_version),
          ...(swapsPartition(run) ? [partitionName(run.allocation_version, "fifo_pnl_differences")] : []),
          "fifo_unmatched_sells",
          "manual_review_queue",
          "fifo_inventory_snapshot",
        ]
      : ["fifo_inventory_snapshot"];
    // Each on a connection of its own on a real server (ANALYZE runs on one core).
    await Promise.all(analyze.map((table) => db.exec(`ANALYZE ${table}`)));
    context.timings.analyze = Math.round(performance.now() - started);
    // Only the symbols the run touched, when the read models were current before it.
    await refreshReadModels(db, run.allocation_version, touched ? { symbols: touched, previousStamp, resumed } : { force: true });
  } catch (error) {
    console.error(`run #${run.id}: refreshing statistics and the dashboard's read models failed; pages will rebuild them`, error);
  }
  context.timings.read_models = Math.round(performance.now() - started - (context.timings.analyze ?? 0));
}

interface Committed {
  /** The read models' source stamp before the run. */
  previousStamp: string;
  /** Symbols whose results changed; null = every symbol of the version. */
  touched: string[] | null;
  /** Touched symbols the run resumed from their snapshot, with their previous point. */
  resumed: ResumedSymbol[];
}

async function computeAndCommit(db: SqlClient, run: RunRow, context: RunContext): Promise<Committed> {
  const previousStamp = await sourceStamp(db, run.allocation_version);
  const committed = (prepared: PreparedRun, collector: FindingsCollector): Committed => {
    const touched = run.mode === "full" && run.symbols === null ? null : collector.touchedSymbols(prepared.plans);
    const resumed = prepared.plans.flatMap((plan) =>
      plan.resumeFrom && touched?.includes(plan.symbol) ? [{ symbol: plan.symbol, ...plan.resumeFrom.point }] : [],
    );
    return { previousStamp, touched, resumed };
  };
  if (db.engine !== "pglite") {
    // Planning, reading and fingerprinting see one snapshot of the trades (db/compute/trade-snapshot.ts).
    return withTradesSnapshot(db, async (reader) => {
      const prepared = await prepareRun(db, run, context, reader);
      const collector = new FindingsCollector(prepared.settings);
      const workers = await allocationWorkersFor(prepared, context);
      try {
        await db.transaction(async (tx) => {
          // The run's statements are one-offs over many rows: JIT compiling them costs seconds, saves nothing.
          await tx.exec("SET LOCAL jit = off");
          await clearPrevious(tx, prepared);
          const write: AllocationWriter = workers
            ? (table) => writeOnWorkers(tx, table, workers, reader, prepared, collector)
            : (table) => writeAllocations(tx, run.allocation_version, run.id, allocate(readTrades(reader, tx, prepared), prepared, collector), table);
          await writeResults(tx, prepared, collector, write);
        });
      } finally {
        await workers?.close();
      }
      return committed(prepared, collector);
    });
  }
  const prepared = await prepareRun(db, run, context);
  const collector = new FindingsCollector(prepared.settings);
  const stamp = await tradesStamp(db, prepared.symbols);
  const allocations: AllocationOut[] = [];
  for await (const a of allocate(readTrades(db, db, prepared), prepared, collector)) allocations.push(a);
  prepared.timer("compute");
  prepared.checkpoint = async () => {
    if (context.signal.aborted) throw new RunCancelled();
  }; // no progress writes from inside the write transaction: they would wait for it
  await db.transaction(async (tx) => {
    if ((await tradesStamp(tx, prepared.symbols)) !== stamp) {
      throw new Error("trades of these symbols changed while the run was computing; start the run again");
    }
    await clearPrevious(tx, prepared);
    await writeResults(tx, prepared, collector, (table) => writeAllocations(tx, run.allocation_version, run.id, fromArray(allocations), table));
  });
  return committed(prepared, collector);
}

/** `reader` sees the trades the run works on; progress is saved through `db`. */
async function prepareRun(db: SqlClient, run: RunRow, context: RunContext, reader: SqlClient = db): Promise<PreparedRun> {
  const timer = phaseTimer(context.timings);
  const method = await methodForRun(db, run.allocation_version, run.method);
  const settings = await readComputeSettings(db);
  const symbols = run.symbols ?? (await symbolsWithTrades(reader));
  const plans = await planSymbols(reader, run.allocation_version, symbols, run.mode);
  for (const p of plans) if (p.fullReason && run.mode === "incremental") context.fullRecomputes.push({ symbol: p.symbol, reason: p.fullReason });
  const fullSymbols = plans.filter((p) => !p.resumeFrom).map((p) => p.symbol);
  const tradesTotal =
    (fullSymbols.length ? await countTrades(reader, fullSymbols) : 0) + plans.reduce((n, p) => n + p.tradesToRead, 0);
  const tracker = new ProgressTracker(symbols.length, tradesTotal);
  timer("plan");
  let cancelRequested = false;
  let sinceYield = 0;
  const prepared: PreparedRun = {
    run, method, settings, symbols, plans, tracker, timer, reader,
    checkpoint: async (force = false) => {
      if (context.signal.aborted || cancelRequested) throw new RunCancelled();
      // PGlite computes on the server's own thread: let requests through now and then.
      if (db.engine === "pglite" && ++sinceYield % 4 === 0) await new Promise((r) => setImmediate(r));
      if (!force && !tracker.due()) return;
      const progress = tracker.snapshot();
      context.publish(progress);
      cancelRequested = await saveProgress(db, run.id, progress);
      if (cancelRequested) throw new RunCancelled();
    },
  };
  await prepared.checkpoint(true);
  return prepared;
}

/** A full run of every symbol replaces the version's whole allocation partition (swap, no DELETE). */
function swapsPartition(run: RunRow): boolean {
  return run.mode === "full" && run.symbols === null;
}

async function clearPrevious(tx: SqlClient, p: PreparedRun): Promise<void> {
  const fullSymbols = p.plans.filter((plan) => !plan.resumeFrom).map((plan) => plan.symbol);
  const swap = swapsPartition(p.run);
  if (!swap) await ensureVersionPartition(tx, p.run.allocation_version);
  await clearResults(tx, p.run.allocation_version, fullSymbols, swap);
  await tx.query("DELETE FROM fifo_inventory_snapshot WHERE allocation_version = $1 AND symbol = ANY ($2::text[])", [
    p.run.allocation_version,
    p.symbols,
  ]);
  p.timer("clear");
}

function readTrades(db: SqlClient, tx: SqlClient, p: PreparedRun): AsyncIterable<TradeRow> {
  return p.run.mode === "full" ? streamRunTrades(db, tx, p.run.id, p.run.symbols !== null) : pagedTrades(db, p.plans);
}

/** The points `symbols`' snapshots will have (what fingerprintSnapshots would read back). */
function pointsOf(snapshots: SnapshotOut[], symbols: string[]) {
  const wanted = new Set(symbols);
  return snapshots
    .filter((s) => wanted.has(s.symbol))
    .map((s) => ({
      symbol: s.symbol,
      point: s.lastOrderTime !== null && s.lastTradeId !== null ? { lastOrderTime: s.lastOrderTime, lastTradeId: s.lastTradeId } : null,
    }));
}

/** Started worker threads when a full run on a real server is worth them, else null (this thread). */
async function allocationWorkersFor(p: PreparedRun, context: RunContext): Promise<AllocationWorkers | null> {
  if (p.run.mode !== "full") return null;
  const count = context.allocationWorkers ?? (p.tracker.tradesTotal >= WORKERS_FROM_TRADES ? allocationWorkerCount() : 0);
  if (count < 1) return null;
  const workers = await startAllocationWorkers(count, { version: p.run.allocation_version, runId: p.run.id, method: p.method, settings: p.settings });
  if (workers) context.timings.allocation_workers = count; // in the summary's timings: how the run matched
  return workers;
}

/** The full run's trades through the workers (lib/compute/allocate-on-workers.ts) into `table`. */
async function writeOnWorkers(
  tx: SqlClient,
  table: string,
  workers: AllocationWorkers,
  reader: SqlClient,
  p: PreparedRun,
  collector: FindingsCollector,
): Promise<number> {
  const { tracker } = p;
  tracker.phase = "computing";
  const trades = reader.copyOutText(runTradesQuery(p.run.id, p.run.symbols !== null));
  const lines = workers.allocate(trades, collector, async (progress) => {
    tracker.tradesDone = progress.trades;
    tracker.symbolsDone = progress.symbolsFinished;
    await p.checkpoint();
  });
  await tx.copyInText(table, ALLOCATION_COLUMNS, lines);
  return workers.rowsWritten;
}

async function* fromArray<T>(items: T[]): AsyncIterable<T> {
  yield* items;
}

/** Computes the run's allocations into `table` (fifo_allocations, or a full run's fresh partition); how many. */
type AllocationWriter = (table: string) => Promise<number>;

async function writeResults(tx: SqlClient, p: PreparedRun, collector: FindingsCollector, write: AllocationWriter): Promise<void> {
  const { run, tracker } = p;
  const version = run.allocation_version;
  tracker.phase = "computing";
  const fullSymbols = p.plans.filter((plan) => !plan.resumeFrom).map((plan) => plan.symbol);
  // On a real server the trades' connection is free once they are read: it fingerprints them while
  // this one builds the allocations' indexes (measured at 1M trades: the snapshots phase 640 ->
  // 260 ms, though the index builds, which use both cores too, take part of that back).
  let fingerprints: Promise<Map<string, PointFingerprint>> | undefined;
  const fingerprintEarly = () => {
    if (p.reader === tx || tx.engine !== "postgres") return;
    fingerprints = fingerprintsAtPoints(p.reader, pointsOf(collector.snapshots(p.plans), fullSymbols));
    fingerprints.catch(() => undefined); // awaited below; a failure fails the run there
  };
  const allocationsWritten = swapsPartition(run)
    ? await replaceVersionAllocations(tx, version, run.id, write, () => {
        p.timer("allocate");
        fingerprintEarly();
      })
    : await write("fifo_allocations");
  p.timer(swapsPartition(run) ? "index_swap" : "allocate");
  await fixVersionMethod(tx, version, p.method, run.id);

  tracker.phase = "writing";
  await p.checkpoint(true);
  await writeUnmatchedSells(tx, version, run.id, collector.unmatched);
  await writeSnapshots(tx, version, run.id, collector.snapshots(p.plans));
  // Symbols recomputed from their first trade are fingerprinted in full; resumed ones advance. Both
  // from the run's reader: the fingerprint describes exactly the trades the run saw.
  const reader = tx.engine === "pglite" ? tx : p.reader;
  await fingerprintSnapshots(tx, version, fullSymbols, reader, fingerprints);
  await advanceFingerprints(
    tx,
    version,
    p.plans.flatMap((plan) => (plan.resumeFrom ? [{ symbol: plan.symbol, ...plan.resumeFrom }] : [])),
    reader,
  );
  await writeMonthEnds(tx, version, run.id, collector.monthEnds(p.plans));
  p.timer("snapshots");

  tracker.phase = "reviewing";
  await p.checkpoint(true);
  const preserved = p.plans.flatMap((plan) => (plan.resumeFrom ? [{ symbol: plan.symbol, ...plan.resumeFrom.point }] : []));
  const review = await syncReviewItems(tx, {
    runId: run.id,
    version,
    symbols: p.symbols,
    candidates: collector.candidates(await acceptedCauses(tx, version)),
    preservedUpTo: preserved,
    differences: collector.pnlDifferences,
    totals: collector.causeTotals.result(),
    swapDifferences: swapsPartition(run),
  });
  p.timer("review");

  tracker.phase = "done";
  tracker.symbolsDone = p.symbols.length;
  const progress = tracker.snapshot();
  await p.checkpoint(false);
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

async function* allocate(trades: AsyncIterable<TradeRow>, p: PreparedRun, collector: FindingsCollector): AsyncIterable<AllocationOut> {
  const { tracker } = p;
  tracker.phase = "computing";
  const resume = new Map(p.plans.map((plan) => [plan.symbol, plan.resumeFrom]));
  const allocator = new TradeAllocator(p.method, resume, collector, { symbolStarted: () => tracker.symbolsDone++ });
  for await (const trade of trades) {
    const allocations = allocator.apply(trade);
    tracker.tradesDone++;
    if ((tracker.tradesDone & 1023) === 0) await p.checkpoint();
    yield* allocations;
  }
  allocator.finish();
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
