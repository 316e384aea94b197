// The run log (fifo_computation_log): creating, starting, progressing, finishing and failing runs,
// and finding runs whose process died. One active run per version is enforced by a unique index.
import type { SqlClient } from "../sql-client";

export type RunMode = "full" | "incremental";

export interface RunProgress {
  phase: "reading" | "computing" | "writing" | "reviewing" | "done";
  symbolsDone: number;
  symbolsTotal: number;
  tradesDone: number;
  tradesTotal: number;
  tradesPerSecond: number;
  etaSeconds: number | null;
}

export interface RunRow {
  id: number;
  allocation_version: number;
  symbols: string[] | null;
  mode: RunMode;
  status: "queued" | "running" | "succeeded" | "failed" | "cancelled";
  started_by: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  trades_read: number;
  allocations_written: number;
  unmatched_sells: number;
  invalid_trades: number;
  review_items_opened: number;
  review_items_closed: number;
  errors: { message: string; symbol?: string; at?: string }[];
  progress: Partial<RunProgress>;
  heartbeat_at: string | null;
  cancel_requested: boolean;
  worker_pid: number | null;
  /** The lot-selection method the run was asked for; null = the version's own. */
  method: string | null;
}

export class RunConflictError extends Error {
  constructor(
    readonly version: number,
    readonly activeRun: Pick<RunRow, "id" | "started_by" | "created_at" | "status"> | null,
  ) {
    super(
      activeRun
        ? `Version ${version} is already being computed: run #${activeRun.id} (${activeRun.status}), ` +
            `started by ${activeRun.started_by} at ${activeRun.created_at}. Wait for it to finish or cancel it.`
        : `Version ${version} is already being computed by another run.`,
    );
    this.name = "RunConflictError";
  }
}

const UNIQUE_VIOLATION = "23505";

/** Queues a run. Refused with RunConflictError while another run of the version is active. */
export async function createRun(
  db: SqlClient,
  input: { version: number; symbols: string[] | null; mode: RunMode; startedBy: string; method?: string | null },
): Promise<number> {
  try {
    const [row] = await db.query<{ id: number }>(
      `INSERT INTO fifo_computation_log (allocation_version, symbols, mode, status, started_by, method)
       VALUES ($1, $2, $3, 'queued', $4, $5) RETURNING id`,
      [input.version, input.symbols, input.mode, input.startedBy, input.method ?? null],
    );
    return row!.id;
  } catch (error) {
    if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
    const [active] = await db.query<RunRow>(
      `SELECT id, started_by, created_at, status FROM fifo_computation_log
       WHERE allocation_version = $1 AND status IN ('queued', 'running') LIMIT 1`,
      [input.version],
    );
    throw new RunConflictError(input.version, active ?? null);
  }
}

/** Claims a queued run for this process; false if it is no longer queued (cancelled, taken). */
export async function markRunning(db: SqlClient, runId: number): Promise<boolean> {
  const rows = await db.query(
    `UPDATE fifo_computation_log SET status = 'running', started_at = now(), heartbeat_at = now(), worker_pid = $2
     WHERE id = $1 AND status = 'queued' AND NOT cancel_requested RETURNING id`,
    [runId, process.pid],
  );
  return rows.length > 0;
}

/**
 * Records progress where other sessions can see it, and says whether a cancel was requested.
 * Never call it from inside the run's transaction (on PGlite it would wait for that transaction).
 */
export async function saveProgress(db: SqlClient, runId: number, progress: RunProgress): Promise<boolean> {
  const [row] = await db.query<{ cancel_requested: boolean }>(
    `UPDATE fifo_computation_log SET progress = $2, heartbeat_at = now() WHERE id = $1 RETURNING cancel_requested`,
    [runId, JSON.stringify(progress)],
  );
  return row?.cancel_requested ?? false;
}

export interface RunTotals {
  tradesRead: number;
  allocationsWritten: number;
  unmatchedSells: number;
  invalidTrades: number;
  reviewItemsOpened: number;
  reviewItemsClosed: number;
  progress: RunProgress;
}

/** Marks success; called inside the run's transaction so the data and the status commit together. */
export async function markSucceeded(tx: SqlClient, runId: number, totals: RunTotals): Promise<void> {
  await tx.query(
    `UPDATE fifo_computation_log SET status = 'succeeded', finished_at = clock_timestamp(),
       duration_ms = (extract(epoch FROM clock_timestamp() - started_at) * 1000)::int,
       trades_read = $2, allocations_written = $3, unmatched_sells = $4, invalid_trades = $5,
       review_items_opened = $6, review_items_closed = $7, progress = $8, heartbeat_at = clock_timestamp()
     WHERE id = $1`,
    [
      runId,
      totals.tradesRead,
      totals.allocationsWritten,
      totals.unmatchedSells,
      totals.invalidTrades,
      totals.reviewItemsOpened,
      totals.reviewItemsClosed,
      JSON.stringify(totals.progress),
    ],
  );
}

export async function markFinishedWithError(
  db: SqlClient,
  runId: number,
  status: "failed" | "cancelled",
  message: string,
): Promise<void> {
  await db.query(
    `UPDATE fifo_computation_log SET status = $2, finished_at = clock_timestamp(),
       duration_ms = (extract(epoch FROM clock_timestamp() - coalesce(started_at, created_at)) * 1000)::int,
       errors = errors || jsonb_build_array(jsonb_build_object('message', $3::text, 'at', clock_timestamp()))
     WHERE id = $1 AND status IN ('queued', 'running')`,
    [runId, status, message],
  );
}

export async function requestCancel(db: SqlClient, runId: number): Promise<boolean> {
  const rows = await db.query(
    // A queued run has nothing to stop: it is cancelled at once. A running one stops at its next check.
    `UPDATE fifo_computation_log SET cancel_requested = true,
       status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END,
       finished_at = CASE WHEN status = 'queued' THEN clock_timestamp() ELSE finished_at END
     WHERE id = $1 AND status IN ('queued', 'running') RETURNING id`,
    [runId],
  );
  return rows.length > 0;
}

export async function getRun(db: SqlClient, runId: number): Promise<RunRow | null> {
  const [row] = await db.query<RunRow>("SELECT * FROM fifo_computation_log WHERE id = $1", [runId]);
  return row ?? null;
}

/**
 * Marks runs failed whose worker is gone. On a real server a live run holds a session advisory
 * lock (see holdRunLock); if we can take it, its owner died. PGlite allows one process per data
 * directory, so there any active run not started by this process is dead.
 */
export async function markStaleRuns(db: SqlClient, liveRunIds: ReadonlySet<number>, graceSeconds = 3): Promise<number[]> {
  // The grace covers the moment between another process claiming a run and taking its lock.
  const active = await db.query<{ id: number }>(
    `SELECT id FROM fifo_computation_log
     WHERE status = 'running' AND ($1::boolean OR started_at < now() - make_interval(secs => $2))`,
    [db.engine === "pglite", graceSeconds],
  );
  const stale: number[] = [];
  for (const run of active) {
    if (liveRunIds.has(run.id)) continue;
    if (db.engine === "postgres") {
      // A transaction-scoped probe: the lock cannot leak onto a pooled connection.
      const alive = await db.transaction(async (tx) => {
        const [probe] = await tx.query<{ free: boolean }>("SELECT pg_try_advisory_xact_lock($1, $2) AS free", [RUN_LOCK_CLASS, run.id]);
        return !probe!.free;
      });
      if (alive) continue;
    }
    stale.push(run.id);
    await markFinishedWithError(db, run.id, "failed", "stale: the process running it stopped before it finished");
  }
  return stale;
}

const RUN_LOCK_CLASS = 0x6669666f; // "fifo"

/**
 * While a run executes on a real server, one pooled connection holds a session-level advisory
 * lock keyed by the run id: it dies with the process, which is how markStaleRuns tells.
 */
export async function holdRunLock(db: SqlClient, runId: number): Promise<() => Promise<void>> {
  if (db.engine !== "postgres") return async () => {};
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const acquired = new Promise<void>((resolve) => (locked = resolve));
  const holder = db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_lock($1, $2)", [RUN_LOCK_CLASS, runId]);
    locked();
    await released;
    await tx.query("SELECT pg_advisory_unlock($1, $2)", [RUN_LOCK_CLASS, runId]);
  });
  await acquired;
  return async () => {
    release();
    await holder;
  };
}
