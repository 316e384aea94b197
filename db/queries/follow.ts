// Following the bot (parallel operation): which versions follow, at what interval, over which
// validation period, and the runner's atomic "is a check due?" claim. One row per version in
// fifo_version_follow, so every server process and the CLI see the same state.
import type { SqlClient } from "../sql-client";

export const DEFAULT_FOLLOW_INTERVAL_SECONDS = 60;

export interface FollowState {
  allocation_version: number;
  enabled: boolean;
  interval_seconds: number;
  validation_from: string | null;
  validation_to: string | null;
  changed_by: string;
  changed_at: string;
  last_checked_at: string | null;
  last_trades_stamp: string | null;
  last_run_id: number | null;
}

export async function getFollow(db: SqlClient, version: number): Promise<FollowState | null> {
  const [row] = await db.query<FollowState>("SELECT * FROM fifo_version_follow WHERE allocation_version = $1", [version]);
  return row ?? null;
}

export async function listFollows(db: SqlClient): Promise<FollowState[]> {
  return db.query<FollowState>("SELECT * FROM fifo_version_follow ORDER BY allocation_version DESC");
}

/** Turns following on or off (and sets the interval); keeps the validation period and the last check. */
export async function setFollow(
  db: SqlClient,
  input: { version: number; enabled: boolean; intervalSeconds?: number; changedBy: string },
): Promise<FollowState> {
  const [row] = await db.query<FollowState>(
    `INSERT INTO fifo_version_follow (allocation_version, enabled, interval_seconds, changed_by)
     VALUES ($1, $2, coalesce($3, ${DEFAULT_FOLLOW_INTERVAL_SECONDS}), $4)
     ON CONFLICT (allocation_version) DO UPDATE SET enabled = EXCLUDED.enabled,
       interval_seconds = coalesce($3, fifo_version_follow.interval_seconds),
       changed_by = EXCLUDED.changed_by, changed_at = now()
     RETURNING *`,
    [input.version, input.enabled, input.intervalSeconds ?? null, input.changedBy],
  );
  return row!;
}

/** The validation period (UTC days, inclusive) of a version; nulls fall back to the last 30 days with trades. */
export async function setValidationPeriod(
  db: SqlClient,
  input: { version: number; from: string | null; to: string | null; changedBy: string },
): Promise<void> {
  await db.query(
    `INSERT INTO fifo_version_follow (allocation_version, enabled, validation_from, validation_to, changed_by)
     VALUES ($1, false, $2, $3, $4)
     ON CONFLICT (allocation_version) DO UPDATE SET validation_from = EXCLUDED.validation_from,
       validation_to = EXCLUDED.validation_to, changed_by = EXCLUDED.changed_by, changed_at = now()`,
    [input.version, input.from, input.to, input.changedBy],
  );
}

export interface DueFollowCheck {
  allocation_version: number;
  last_trades_stamp: string | null;
  last_run_id: number | null;
  last_run_status: string | null;
}

/**
 * Claims the follow checks that are due: enabled, computed versions whose interval passed since
 * the last check and that have no queued or running run. The UPDATE marks them checked, so of several
 * server processes polling at once only one gets a version (the row lock serializes them and the
 * second sees the new last_checked_at).
 */
export async function claimDueFollowChecks(db: SqlClient, onlyVersion: number | null = null): Promise<DueFollowCheck[]> {
  return db.query<DueFollowCheck>(
    `UPDATE fifo_version_follow f SET last_checked_at = clock_timestamp()
     WHERE f.enabled AND ($1::int IS NULL OR f.allocation_version = $1)
       -- a deleted version stays deleted: following needs a computed version
       AND EXISTS (SELECT 1 FROM fifo_inventory_snapshot s WHERE s.allocation_version = f.allocation_version)
       AND (f.last_checked_at IS NULL OR f.last_checked_at <= clock_timestamp() - make_interval(secs => f.interval_seconds))
       AND NOT EXISTS (SELECT 1 FROM fifo_computation_log c
                       WHERE c.allocation_version = f.allocation_version AND c.status IN ('queued', 'running'))
     RETURNING f.allocation_version, f.last_trades_stamp, f.last_run_id,
       (SELECT status FROM fifo_computation_log c WHERE c.id = f.last_run_id) AS last_run_status`,
    [onlyVersion],
  );
}

/**
 * A cheap sign that trades were added or removed: their count and the highest id (the bot's ids
 * grow; a late fill with an old order_time still gets a new id). Trades are facts and are not
 * edited in place; an edit is still caught by the incremental run's fingerprint when it runs.
 */
export async function currentTradesStamp(db: SqlClient): Promise<string> {
  const [row] = await db.query<{ stamp: string }>("SELECT count(*) || ':' || coalesce(max(id), 0) AS stamp FROM trade_records");
  return row!.stamp;
}

export async function recordFollowRun(db: SqlClient, version: number, stamp: string, runId: number | null): Promise<void> {
  await db.query(
    `UPDATE fifo_version_follow SET last_trades_stamp = $2, last_run_id = coalesce($3, last_run_id) WHERE allocation_version = $1`,
    [version, stamp, runId],
  );
}
