// Following the bot: the runner calls queueDueFollowRuns on each poll. For every following version
// whose interval passed, it queues one incremental run when the trades changed since the last run
// it queued (or that run did not succeed). A version with a queued or running run is skipped, and
// the one-active-run-per-version index refuses a second, so runs never pile up.
import { RunConflictError } from "@/db/compute/runs";
import { claimDueFollowChecks, currentTradesStamp, recordFollowRun, type DueFollowCheck } from "@/db/queries/follow";
import type { SqlClient } from "@/db/sql-client";
import { enqueueRun } from "@/lib/compute/run-computation";

export const FOLLOW_STARTED_BY = "follow";

/** Whether a due check should queue a run: new trades, or the last follow run did not succeed. */
export function followRunNeeded(check: DueFollowCheck, stamp: string): boolean {
  if (check.last_run_id === null) return true;
  if (check.last_run_status !== "succeeded") return true;
  return check.last_trades_stamp !== stamp;
}

/** Queues the follow runs that are due (of every following version, or of one); returns their ids. */
export async function queueDueFollowRuns(db: SqlClient, startedBy = FOLLOW_STARTED_BY, onlyVersion: number | null = null): Promise<number[]> {
  const due = await claimDueFollowChecks(db, onlyVersion);
  if (due.length === 0) return [];
  const stamp = await currentTradesStamp(db);
  const queued: number[] = [];
  for (const check of due) {
    if (!followRunNeeded(check, stamp)) continue;
    try {
      const runId = await enqueueRun(db, { version: check.allocation_version, symbols: null, mode: "incremental", startedBy });
      await recordFollowRun(db, check.allocation_version, stamp, runId);
      queued.push(runId);
    } catch (error) {
      // Someone queued a run of this version in between: that run picks the trades up.
      if (!(error instanceof RunConflictError)) throw error;
    }
  }
  return queued;
}

/** True when the error only means the database predates migration 0014 (nothing to follow). */
export function isMissingFollowTable(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === "42P01";
}
