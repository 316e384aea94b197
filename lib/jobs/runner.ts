/**
 * The background runner: executes computation runs outside any request.
 *
 * - The queue is the table. A run is a row in fifo_computation_log; "start a run" only inserts a
 *   `queued` row (enqueueRun) and wakes the runner. The row is durable, so a queued run survives a
 *   restart and is picked up by whichever server process polls next; nothing is lost if the
 *   browser closes, because no request waits for the work.
 * - The Next.js server process runs the runner (started from instrumentation.ts register(), in the
 *   Node.js runtime only, never during `next build`). It polls every second, and at once when the
 *   start action calls wakeRunner(), for the oldest queued run, claims it atomically
 *   (`UPDATE ... WHERE id = (SELECT ... FOR UPDATE SKIP LOCKED)`, so several server processes on
 *   one PostgreSQL never take the same run) and executes it with executeRun(db, id,
 *   { alreadyClaimed: true }): one transaction that replaces the version's allocations, so a run
 *   that fails, is cancelled or dies leaves the previous allocations as they were.
 * - One run at a time per process by default (the machine has two cores; PGlite has a single
 *   connection, so there it is always one). FIFO_RUNNER_CONCURRENCY raises it on a real server;
 *   one run per version is enforced by the database (a partial unique index), not by the runner.
 * - Dead runs: at startup the runner marks `running` rows failed whose worker is gone
 *   (markStaleRuns: on PGlite any running row not executing in this process, since only one
 *   process can open the data directory; on PostgreSQL a row whose session advisory lock is free
 *   and whose heartbeat stopped). On PostgreSQL it repeats this every 30 s, so a run of a crashed
 *   sibling process is released. The dead run's transaction never committed, so its version keeps
 *   its old allocations.
 * - The database going away (restart, network) never wedges it: a run whose connection dies ends
 *   failed; if even that cannot be written, the runner keeps the outcome and writes it (with the
 *   reason) as soon as the database answers again, then claims the next queued run.
 * - Why not pg-boss or graphile-worker: both need a real PostgreSQL server (LISTEN/NOTIFY,
 *   several connections) and their own schema; the embedded default (PGlite) has one in-process
 *   connection. fifo_computation_log already is a durable queue with status, owner and progress.
 * - Module state lives on globalThis: Next.js may load this module more than once per process
 *   (instrumentation bundle and app bundle), and there must be exactly one runner.
 */
import { getWorkDb } from "@/db/client";
import { markFinishedWithError, markStaleRuns, RunEndNotRecordedError } from "@/db/compute/runs";
import { claimNextQueuedRun, closeCancelledQueuedRuns } from "@/db/queries/runs";
import type { SqlClient } from "@/db/sql-client";
import { liveRunIds } from "@/lib/compute/live-runs";
import { executeRun } from "@/lib/compute/run-computation";
import { isMissingFollowTable, queueDueFollowRuns } from "./follow";

/** Executes one claimed run to its end (succeeded, failed or cancelled). */
export type RunExecutor = (db: SqlClient, runId: number) => Promise<unknown>;

export interface RunnerOptions {
  /** Where the runs live; default the process-wide getWorkDb(). */
  database?: () => Promise<SqlClient>;
  /** Default: executeRun(db, runId, { alreadyClaimed: true }). */
  execute?: RunExecutor;
  /** Poll interval when idle (ms). */
  pollIntervalMs?: number;
  /** Runs executing at once in this process (forced to 1 on PGlite). */
  concurrency?: number;
  /** Queue the incremental runs of versions that follow the bot (lib/jobs/follow.ts); default true. */
  follow?: boolean;
  /** How often to look for runs of dead processes on PostgreSQL (ms); 0 = only at startup. */
  staleSweepIntervalMs?: number;
  log?: (message: string) => void;
}

export interface Runner {
  /** Starts polling (idempotent). The first poll marks stale runs failed. */
  start(): void;
  /** Polls now instead of at the next tick (the start action calls it after enqueueing). */
  wake(): void;
  /** Stops polling and waits for the runs executing here to end. */
  stop(): Promise<void>;
  /** Executes queued runs until none is left (tests, scripts). Works without start(). */
  drain(): Promise<void>;
  /** Ids of the runs this runner is executing right now. */
  executing(): number[];
  /** When the last poll ended (ms since epoch; success or not), null before the first: /api/health's liveness. */
  lastPollAt(): number | null;
}

export function createRunner(options: RunnerOptions = {}): Runner {
  const database = options.database ?? getWorkDb;
  const execute: RunExecutor = options.execute ?? ((db, runId) => executeRun(db, runId, { alreadyClaimed: true }));
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const staleSweepIntervalMs = options.staleSweepIntervalMs ?? 30_000;
  const log = options.log ?? ((message: string) => console.info(`[runner] ${message}`));

  const running = new Map<number, Promise<void>>();
  let started = false;
  let stopped = false;
  let initialized = false;
  let timer: NodeJS.Timeout | null = null;
  let ticking: Promise<void> | null = null;
  let wakeAgain = false;
  let lastSweep = 0;
  let lastError = "";
  let lastPollAt: number | null = null;
  /** Runs that ended while the database could not record it: runId -> outcome to write. */
  const unrecorded = new Map<number, { status: "failed" | "cancelled"; reason: string }>();

  async function concurrencyFor(db: SqlClient): Promise<number> {
    if (db.engine === "pglite") return 1;
    return Math.max(1, Math.floor(options.concurrency ?? (Number(process.env.FIFO_RUNNER_CONCURRENCY) || 1)));
  }

  async function sweepStale(db: SqlClient): Promise<void> {
    // A run claimed a moment ago by another process is protected by its fresh heartbeat.
    const stale = await markStaleRuns(db, new Set([...liveRunIds(), ...running.keys()]));
    if (stale.length) log(`marked ${stale.length} stale run(s) failed: #${stale.join(", #")}`);
    lastSweep = Date.now();
  }

  function launch(db: SqlClient, runId: number): void {
    log(`executing run #${runId}`);
    const task = (async () => {
      try {
        const result = (await execute(db, runId)) as { status?: string } | undefined;
        log(`run #${runId} ended${result?.status ? `: ${result.status}` : ""}`);
      } catch (error) {
        // executeRun reports data problems as a failed run; this is for the unexpected.
        const message = error instanceof Error ? error.message : String(error);
        log(`run #${runId} crashed: ${message}`);
        const outcome =
          error instanceof RunEndNotRecordedError
            ? { status: error.status, reason: error.reason }
            : { status: "failed" as const, reason: `the runner caught an error: ${message}` };
        await markFinishedWithError(db, runId, outcome.status, outcome.reason).catch(() => unrecorded.set(runId, outcome));
      }
    })().finally(() => {
      running.delete(runId);
      if (!stopped) wake();
    });
    running.set(runId, task);
  }

  /** Following versions: a failure here is logged and never stops the queue. */
  async function queueFollowRuns(db: SqlClient): Promise<void> {
    try {
      const queued = await queueDueFollowRuns(db);
      if (queued.length) log(`queued follow run(s) #${queued.join(", #")}`);
    } catch (error) {
      if (!isMissingFollowTable(error)) log(`follow check failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Writes the outcomes of runs that ended while the database was away (frees their versions). */
  async function recordUnrecorded(db: SqlClient): Promise<void> {
    for (const [runId, outcome] of unrecorded) {
      await markFinishedWithError(db, runId, outcome.status, outcome.reason);
      unrecorded.delete(runId);
      log(`recorded run #${runId} as ${outcome.status}: ${outcome.reason}`);
    }
  }

  /** One poll: claim and launch queued runs while there is room. */
  async function poll(): Promise<void> {
    const db = await database();
    const limit = await concurrencyFor(db);
    await recordUnrecorded(db);
    // On PGlite a running run holds the one connection in its transaction: do not queue up queries.
    if (running.size >= limit) return;
    if (!initialized) {
      await sweepStale(db);
      initialized = true;
    } else if (db.engine === "postgres" && staleSweepIntervalMs > 0 && Date.now() - lastSweep >= staleSweepIntervalMs) {
      await sweepStale(db);
    }
    await closeCancelledQueuedRuns(db);
    if (options.follow ?? true) await queueFollowRuns(db);
    while (running.size < limit && !stopped) {
      const runId = await claimNextQueuedRun(db);
      if (runId === null) break;
      launch(db, runId);
    }
  }

  function tick(): Promise<void> {
    if (ticking) {
      wakeAgain = true;
      return ticking;
    }
    ticking = (async () => {
      let failed = false;
      try {
        await poll();
        lastError = "";
      } catch (error) {
        failed = true;
        const message = error instanceof Error ? error.message : String(error);
        if (message !== lastError) log(`poll failed (will retry): ${message}`);
        lastError = message;
      } finally {
        ticking = null;
        lastPollAt = Date.now();
      }
      if (stopped || !started) return;
      if (wakeAgain) {
        wakeAgain = false;
        schedule(0);
      } else schedule(failed ? Math.max(pollIntervalMs, 5000) : pollIntervalMs);
    })();
    return ticking;
  }

  function schedule(ms: number): void {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void tick();
    }, ms);
    timer.unref?.();
  }

  function wake(): void {
    if (!started || stopped) return;
    if (ticking) wakeAgain = true;
    else schedule(0);
  }

  return {
    start() {
      if (started) return;
      started = true;
      stopped = false;
      schedule(0);
    },
    wake,
    async stop() {
      stopped = true;
      started = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await ticking;
      await Promise.allSettled([...running.values()]);
    },
    async drain() {
      for (;;) {
        await Promise.allSettled([...running.values()]);
        await poll();
        if (running.size === 0) return;
      }
    },
    executing: () => [...running.keys()],
    lastPollAt: () => lastPollAt,
  };
}

// --- the process-wide runner --------------------------------------------------------------------

const holder = globalThis as typeof globalThis & { __fifoRunner?: Runner };

/** Starts this process's runner once (instrumentation.ts calls it); later calls return the same one. */
export function startRunner(options?: RunnerOptions): Runner {
  holder.__fifoRunner ??= createRunner(options);
  holder.__fifoRunner.start();
  return holder.__fifoRunner;
}

/** Tells this process's runner to poll now. False when no runner runs here (a run then waits in the queue). */
export function wakeRunner(): boolean {
  holder.__fifoRunner?.wake();
  return Boolean(holder.__fifoRunner);
}

export function processRunner(): Runner | null {
  return holder.__fifoRunner ?? null;
}

export async function stopRunner(): Promise<void> {
  const runner = holder.__fifoRunner;
  holder.__fifoRunner = undefined;
  await runner?.stop();
}
