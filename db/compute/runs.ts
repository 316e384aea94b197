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

const VERSION_ADMIN_LOCK = 0x66696676; // "fifv"

/**
 * Serializes what changes which versions exist or are current: queueing a run, deleting a version,
 * making one current (transaction-scoped; PGlite runs one transaction at a time anyway). Waits at
 * most 10 s, then the database answers "busy" instead of hanging.
 */
export async function lockVersionAdmin(tx: SqlClient): Promise<void> {
  if (tx.engine !== "postgres") return;
  await tx.exec("SET LOCAL lock_timeout = '10s'");
  await tx.query("SELECT pg_advisory_xact_lock($1)", [VERSION_ADMIN_LOCK]);
}

/** Queues a run. Refused with RunConflictError while another run of the version is active. */
export async function createRun(
  db: SqlClient,
  input: { version: number; symbols: string[] | null; mode: RunMode; startedBy: string; method?: string | null },
): Promise<number> {
  try {
    return await db.transaction(async (tx) => {
      // After a concurrent deleteVersion committed, never in the middle of it.
      await lockVersionAdmin(tx);
      const [row] = await tx.query<{ id: number }>(
        `INSERT INTO fifo_computation_log (allocation_version, symbols, mode, status, started_by, method)
         VALUES ($1, $2, $3, 'queued', $4, $5) RETURNING id`,
        [input.version, input.symbols, input.mode, input.startedBy, input.method ?? null],
      );
      return row!.id;
    });
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

/** Runs waiting or executing (rollback refuses while there are any). */
export async function activeRuns(db: SqlClient): Promise<Pick<RunRow, "id" | "allocation_version" | "status" | "started_by">[]> {
  return db.query(
    `SELECT id, allocation_version, status, started_by FROM fifo_computation_log
     WHERE status IN ('queued', 'running') ORDER BY id`,
  );
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

/** The run was marked failed by a sweep, or lost its lock: its results must not be committed. */
export class RunClaimLostError extends Error {
  constructor(readonly runId: number) {
    super(`run #${runId} lost its claim (marked failed meanwhile, or its lock connection ended); its results were not committed`);
    this.name = "RunClaimLostError";
  }
}

/**
 * Marks success; called inside the run's transaction so the data and the status commit together.
 * Guarded: only a run still `running` whose lock this process still holds can succeed; otherwise
 * RunClaimLostError rolls the whole transaction back.
 */
export async function markSucceeded(tx: SqlClient, runId: number, totals: RunTotals): Promise<void> {
  const lockPid = tx.engine === "postgres" ? (heldLocks.get(runId) ?? null) : null;
  const rows = await tx.query(
    `UPDATE fifo_computation_log c SET status = 'succeeded', finished_at = clock_timestamp(),
       duration_ms = (extract(epoch FROM clock_timestamp() - started_at) * 1000)::int,
       trades_read = $2, allocations_written = $3, unmatched_sells = $4, invalid_trades = $5,
       review_items_opened = $6, review_items_closed = $7, progress = $8, heartbeat_at = clock_timestamp()
     WHERE c.id = $1 AND c.status = 'running'
       AND ($9::int IS NULL OR EXISTS (${LOCK_HELD_BY} AND l.pid = $9::int))
     RETURNING id`,
    [
      runId,
      totals.tradesRead,
      totals.allocationsWritten,
      totals.unmatchedSells,
      totals.invalidTrades,
      totals.reviewItemsOpened,
      totals.reviewItemsClosed,
      JSON.stringify(totals.progress),
      lockPid,
    ],
  );
  if (rows.length === 0) throw new RunClaimLostError(runId);
}

/** A run ended but its end could not be written (database unreachable): record it later. */
export class RunEndNotRecordedError extends Error {
  constructor(
    readonly runId: number,
    readonly status: "failed" | "cancelled",
    readonly reason: string,
    cause: unknown,
  ) {
    super(`run #${runId} ended (${status}: ${reason}) but the database could not record it: ${messageOf(cause)}`, { cause });
    this.name = "RunEndNotRecordedError";
  }
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

const RUN_LOCK_CLASS = 0x6669666f; // "fifo"

/** pg_locks rows of the session advisory lock of run `c.id`, in this database (alias l). */
const LOCK_HELD_BY = `SELECT 1 FROM pg_locks l
  WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
    AND l.classid = ${RUN_LOCK_CLASS}::oid AND l.objid = c.id::oid`;

/** Seconds without a heartbeat after which a running run whose lock is free counts as dead. */
export const STALE_AFTER_SECONDS = 3;
const HEARTBEAT_MS = 1000;

/** runId -> backend pid of the session holding its lock, for the runs executing in this process. */
const heldLocks = new Map<number, number>();

/**
 * Marks runs failed whose worker is gone. On a real server a live run holds a session advisory
 * lock and writes a heartbeat through that same session every second (see holdRunLock); a run is
 * dead when its lock is free AND its heartbeat is older than `graceSeconds` (the grace covers the
 * moment between a claim and its lock). PGlite allows one process per data directory, so there
 * any active run not executing in this process is dead.
 */
export async function markStaleRuns(
  db: SqlClient,
  liveRunIds: ReadonlySet<number>,
  graceSeconds = STALE_AFTER_SECONDS,
): Promise<number[]> {
  const rows = await db.query<{ id: number }>(
    `UPDATE fifo_computation_log c SET status = 'failed', finished_at = clock_timestamp(),
       duration_ms = (extract(epoch FROM clock_timestamp() - coalesce(started_at, created_at)) * 1000)::int,
       errors = errors || jsonb_build_array(jsonb_build_object('message', $4::text, 'at', clock_timestamp()))
     WHERE c.status = 'running' AND NOT (c.id = ANY ($1::bigint[]))
       AND ($2::boolean OR (
         coalesce(c.heartbeat_at, c.started_at, c.created_at) < clock_timestamp() - make_interval(secs => $3)
         AND NOT EXISTS (${LOCK_HELD_BY})))
     RETURNING c.id`,
    [
      [...liveRunIds],
      db.engine === "pglite",
      graceSeconds,
      "stale: the process running it stopped before it finished (no heartbeat and its lock is free)",
    ],
  );
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

export interface RunClaim {
  /** Aborted (with the reason) when the lock's connection ended: the run must stop, it cannot commit. */
  lost: AbortSignal;
  release(): Promise<void>;
}

/**
 * While a run executes on a real server, one dedicated connection (a session, not a transaction,
 * so idle_in_transaction_session_timeout never ends it) holds a session advisory lock keyed by the
 * run id and writes the run's heartbeat every second. Both die with the process or the
 * connection, which is how markStaleRuns tells a dead run. Never hangs: a failed connect or lock
 * rejects, and a connection lost later aborts `lost`.
 */
export async function holdRunLock(db: SqlClient, runId: number): Promise<RunClaim> {
  const lost = new AbortController();
  if (db.engine !== "postgres") return { lost: lost.signal, release: async () => {} };
  let releasing = false;
  let wakeHolder: () => void = () => {};
  let acquired!: (pid: number) => void;
  let refused!: (error: unknown) => void;
  const locked = new Promise<number>((resolve, reject) => ((acquired = resolve), (refused = reject)));
  const holder = db
    .session(async (session) => {
      const [row] = await session.query<{ locked: boolean; pid: number }>(
        "SELECT pg_try_advisory_lock($1, $2) AS locked, pg_backend_pid() AS pid",
        [RUN_LOCK_CLASS, runId],
      );
      if (!row!.locked) throw new Error(`run #${runId} is locked by another process`);
      heldLocks.set(runId, row!.pid);
      acquired(row!.pid);
      try {
        while (!releasing) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, HEARTBEAT_MS);
            wakeHolder = () => (clearTimeout(timer), resolve());
          });
          if (releasing) break;
          await session.query("UPDATE fifo_computation_log SET heartbeat_at = clock_timestamp() WHERE id = $1 AND status = 'running'", [
            runId,
          ]);
        }
        await session.query("SELECT pg_advisory_unlock($1, $2)", [RUN_LOCK_CLASS, runId]);
      } finally {
        heldLocks.delete(runId);
      }
    })
    .then(
      () => {},
      (error: unknown) => {
        refused(error); // no-op once acquired
        if (!releasing) lost.abort(new Error(`the run's database connection was lost: ${messageOf(error)}`));
      },
    );
  await locked;
  return {
    lost: lost.signal,
    release: async () => {
      releasing = true;
      wakeHolder();
      await holder;
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
