// `compute-allocations -- --follow`: turn following on for a version and keep it current from this
// process: check every second whether a follow run is due (the interval is kept in the database,
// so the dashboard's runner and this loop never both queue one) and execute it here.
import { setFollow } from "@/db/queries/follow";
import type { SqlClient } from "@/db/sql-client";
import { executeRun, type RunSummary } from "@/lib/compute/run-computation";
import { queueDueFollowRuns } from "@/lib/jobs/follow";

export interface FollowLoopOptions {
  version: number;
  intervalSeconds: number;
  startedBy: string;
  signal: AbortSignal;
  onRun: (summary: RunSummary) => void;
  /** How often to ask whether a run is due (ms). */
  pollMs?: number;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

/** Runs until the signal aborts; following stays on in the database (turn it off with --unfollow). */
export async function followLoop(db: SqlClient, options: FollowLoopOptions): Promise<void> {
  await setFollow(db, { version: options.version, enabled: true, intervalSeconds: options.intervalSeconds, changedBy: options.startedBy });
  while (!options.signal.aborted) {
    for (const runId of await queueDueFollowRuns(db, `follow:${options.startedBy}`, options.version)) {
      // Another process's runner may claim it first; executeRun then only reports it.
      options.onRun(await executeRun(db, runId, { signal: options.signal }));
    }
    await pause(options.pollMs ?? 1000, options.signal);
  }
}
