// Reads and writes the runs pages need: the run history, one run with the review items it opened
// and closed, the active runs, the symbols a run can choose from, the background runner's claim,
// and cancelling. The run lifecycle itself (create, running, progress, finish) is db/compute/runs.ts.
import type { RunRow } from "../compute/runs";
import type { SqlClient } from "../sql-client";

export type RunStatus = RunRow["status"];
export const ACTIVE_STATUSES: readonly RunStatus[] = ["queued", "running"];

/** A row of the history table: the log row without the bulky progress/errors payloads. */
export type RunListRow = Omit<RunRow, "errors" | "progress" | "heartbeat_at" | "worker_pid"> & {
  error_count: number;
  first_error: string | null;
};

export interface RunListFilter {
  status?: RunStatus;
  version?: number;
  page?: number;
  pageSize?: number;
  /** Keyset: the runs older than this id (Older), or newer than this one (Newer), instead of OFFSET. */
  after?: number;
  before?: number;
}

const LIST_COLUMNS = `id, allocation_version, symbols, mode, status, started_by, created_at, started_at, finished_at,
  duration_ms, trades_read, allocations_written, unmatched_sells, invalid_trades, review_items_opened,
  review_items_closed, jsonb_array_length(errors)::int AS error_count, errors -> 0 ->> 'message' AS first_error,
  cancel_requested`;

/**
 * The run history, newest first, one page at a time: after/before a run id by keyset, else by page
 * number. Newer that reaches the start shows the first page (and says so in `page`).
 */
export async function listRuns(
  db: SqlClient,
  filter: RunListFilter = {},
): Promise<{ rows: RunListRow[]; total: number; page: number }> {
  const pageSize = Math.min(Math.max(filter.pageSize ?? 25, 1), 200);
  const page = Math.max(filter.page ?? 1, 1);
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.status) {
    params.push(filter.status);
    where.push(`status = $${params.length}`);
  }
  if (filter.version !== undefined) {
    params.push(filter.version);
    where.push(`allocation_version = $${params.length}`);
  }
  const whereOf = (extra: string[]) => (where.length + extra.length ? `WHERE ${[...where, ...extra].join(" AND ")}` : "");
  const [count] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM fifo_computation_log ${whereOf([])}`, params);
  const total = count?.n ?? 0;
  const read = (seek: string[], order: "ASC" | "DESC", offset: number, extra: unknown[]) =>
    db.query<RunListRow>(
      `SELECT ${LIST_COLUMNS} FROM fifo_computation_log ${whereOf(seek)}
       ORDER BY id ${order} LIMIT ${pageSize}${offset > 0 ? ` OFFSET ${offset}` : ""}`,
      [...params, ...extra],
    );
  if (filter.after !== undefined) {
    const rows = await read([`id < $${params.length + 1}::bigint`], "DESC", 0, [filter.after]);
    return { rows, total, page };
  }
  if (filter.before !== undefined) {
    const rows = await read([`id > $${params.length + 1}::bigint`], "ASC", 0, [filter.before]);
    if (rows.length === pageSize && page > 1) return { rows: rows.reverse(), total, page };
    return { rows: await read([], "DESC", 0, []), total, page: 1 };
  }
  return { rows: await read([], "DESC", (page - 1) * pageSize, []), total, page };
}

/** Runs waiting or executing, oldest first (the overview banner and the start form show them). */
export async function listActiveRuns(db: SqlClient): Promise<RunListRow[]> {
  return db.query<RunListRow>(
    `SELECT ${LIST_COLUMNS} FROM fifo_computation_log WHERE status IN ('queued', 'running') ORDER BY id`,
  );
}

/** The symbols present in trade_records, for the start form's multi-select. */
export async function listTradeSymbols(db: SqlClient): Promise<string[]> {
  const rows = await db.query<{ symbol: string }>("SELECT DISTINCT symbol FROM trade_records ORDER BY symbol");
  return rows.map((r) => r.symbol);
}

export interface RunReviewItem {
  id: number;
  trade_id: number;
  symbol: string;
  issue_type: string;
  severity: string;
  status: string;
  reason: string;
  created_at: string;
}

export interface RunReviewChanges {
  opened: RunReviewItem[];
  closed: RunReviewItem[];
  /** Other changes the run made to items (reopened, figures refreshed): from manual_review_history. */
  otherChanges: { item_id: number; action: string; from_status: string | null; to_status: string; at: string }[];
  /** True when a list was cut at `limit` items. */
  truncated: boolean;
}

const ITEM_COLUMNS = "id, trade_id, symbol, issue_type, severity, status, reason, created_at";

/** The review items a run opened and closed (and other history entries it wrote), up to `limit` each. */
export async function runReviewChanges(db: SqlClient, runId: number, limit = 200): Promise<RunReviewChanges> {
  const opened = await db.query<RunReviewItem>(
    `SELECT ${ITEM_COLUMNS} FROM manual_review_queue WHERE opened_by_computation_id = $1 ORDER BY id LIMIT $2`,
    [runId, limit + 1],
  );
  const closed = await db.query<RunReviewItem>(
    `SELECT ${ITEM_COLUMNS} FROM manual_review_queue WHERE closed_by_computation_id = $1 ORDER BY id LIMIT $2`,
    [runId, limit + 1],
  );
  const otherChanges = await db.query<RunReviewChanges["otherChanges"][number]>(
    `SELECT h.item_id, h.action, h.from_status, h.to_status, h.at FROM manual_review_history h
     JOIN manual_review_queue q ON q.id = h.item_id
     WHERE h.computation_id = $1
       AND q.opened_by_computation_id IS DISTINCT FROM $1 AND q.closed_by_computation_id IS DISTINCT FROM $1
     ORDER BY h.id LIMIT $2`,
    [runId, limit + 1],
  );
  const truncated = opened.length > limit || closed.length > limit || otherChanges.length > limit;
  return {
    opened: opened.slice(0, limit),
    closed: closed.slice(0, limit),
    otherChanges: otherChanges.slice(0, limit),
    truncated,
  };
}

// --- the background runner's side ---------------------------------------------------------------

/** fifo_settings key: while 'true', runners start no queued run (runs already executing go on). */
export const RUNNER_PAUSED_KEY = "runner_paused";

export async function isQueuePaused(db: SqlClient): Promise<boolean> {
  const [row] = await db.query<{ value: string }>("SELECT value FROM fifo_settings WHERE key = $1", [RUNNER_PAUSED_KEY]);
  return row?.value.trim() === "true";
}

/** Pauses or resumes the queue for every server process (an operator holding runs back). */
export async function setQueuePaused(db: SqlClient, paused: boolean): Promise<void> {
  await db.query(
    `INSERT INTO fifo_settings (key, value, description) VALUES ($1, $2, $3)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
    [RUNNER_PAUSED_KEY, String(paused), "While true, queued runs wait: no runner starts them (set on the Runs page)"],
  );
}

/**
 * Claims the oldest queued run nobody asked to cancel: marks it running for this process and
 * returns its id, or null (also while the queue is paused). `FOR UPDATE SKIP LOCKED` makes the
 * claim atomic across server processes (two pollers never get the same row); on PGlite there is
 * only one process anyway.
 */
export async function claimNextQueuedRun(db: SqlClient, workerPid: number = process.pid): Promise<number | null> {
  const [row] = await db.query<{ id: number }>(
    `UPDATE fifo_computation_log SET status = 'running', started_at = clock_timestamp(),
       heartbeat_at = clock_timestamp(), worker_pid = $1
     WHERE id = (
       SELECT id FROM fifo_computation_log WHERE status = 'queued' AND NOT cancel_requested
       ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED
     ) AND status = 'queued'
       AND NOT EXISTS (SELECT 1 FROM fifo_settings WHERE key = $2 AND trim(value) = 'true')
     RETURNING id`,
    [workerPid, RUNNER_PAUSED_KEY],
  );
  return row?.id ?? null;
}

/**
 * Cancels a run that has not started: it goes straight to `cancelled`. Returns false when the run
 * is no longer queued (a runner claimed it, or it ended): then ask the running run to stop.
 */
export async function cancelQueuedRun(db: SqlClient, runId: number, by: string): Promise<boolean> {
  const rows = await db.query(
    `UPDATE fifo_computation_log SET status = 'cancelled', cancel_requested = true, finished_at = clock_timestamp(),
       duration_ms = 0,
       errors = errors || jsonb_build_array(jsonb_build_object('message', $2::text, 'at', clock_timestamp()))
     WHERE id = $1 AND status = 'queued' RETURNING id`,
    [runId, `cancelled by ${by} before it started`],
  );
  return rows.length > 0;
}

/** Queued runs whose cancel was requested (e.g. by the CLI) are closed without running. */
export async function closeCancelledQueuedRuns(db: SqlClient): Promise<number[]> {
  const rows = await db.query<{ id: number }>(
    `UPDATE fifo_computation_log SET status = 'cancelled', finished_at = clock_timestamp(), duration_ms = 0,
       errors = errors || jsonb_build_array(jsonb_build_object('message', 'cancelled before it started', 'at', clock_timestamp()))
     WHERE status = 'queued' AND cancel_requested RETURNING id`,
  );
  return rows.map((r) => r.id);
}

/** Ids of running runs whose last sign of life is within `seconds` (a claim still being set up). */
export async function recentlyStartedRunIds(db: SqlClient, seconds: number): Promise<number[]> {
  const rows = await db.query<{ id: number }>(
    `SELECT id FROM fifo_computation_log
     WHERE status = 'running' AND coalesce(heartbeat_at, started_at, created_at) > clock_timestamp() - make_interval(secs => $1)`,
    [seconds],
  );
  return rows.map((r) => r.id);
}
