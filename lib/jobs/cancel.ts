// Cancelling a run, wherever it is: a queued run is closed at once; a run executing in this
// process is aborted through its AbortController; a run executing in another server process is
// flagged (cancel_requested) and stops at its next progress checkpoint. In every case the run's
// transaction rolls back, so the version keeps its previous allocations.
import { getRun, requestCancel } from "@/db/compute/runs";
import { cancelQueuedRun } from "@/db/queries/runs";
import type { SqlClient } from "@/db/sql-client";
import { cancelLiveRun } from "@/lib/compute/live-runs";

export type CancelOutcome =
  | { kind: "cancelled"; message: string } // it had not started: it is cancelled now
  | { kind: "stopping"; message: string } // it is executing: it stops at its next checkpoint
  | { kind: "not_active"; message: string }; // it had already ended (or does not exist)

export async function cancelRun(db: SqlClient, runId: number, by: string): Promise<CancelOutcome> {
  // First the in-process signal: it needs no database, which matters on PGlite, where a running
  // run's transaction holds the only connection until it ends.
  const abortedHere = cancelLiveRun(runId);
  if (!abortedHere && (await cancelQueuedRun(db, runId, by))) {
    return { kind: "cancelled", message: `Run #${runId} was cancelled before it started.` };
  }
  const flagged = await requestCancel(db, runId);
  if (abortedHere || flagged) {
    return { kind: "stopping", message: `Run #${runId} is stopping; the previous allocations stay as they were.` };
  }
  const run = await getRun(db, runId);
  return {
    kind: "not_active",
    message: run ? `Run #${runId} already ended (${run.status}).` : `Run #${runId} does not exist.`,
  };
}
