// What /runs/[id]/progress answers and the progress panel shows. Shared by server and client.
import type { RunProgress, RunRow } from "@/db/compute/runs";
import { liveProgress } from "@/lib/compute/live-runs";

export interface RunProgressPayload {
  id: number;
  status: RunRow["status"];
  cancelRequested: boolean;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  /** The latest progress: from this process's live registry when the run executes here, else the row. */
  progress: Partial<RunProgress>;
  /** True when the numbers come from the process executing the run (fresh to the second). */
  live: boolean;
}

export function progressPayload(run: RunRow): RunProgressPayload {
  const fromMemory = liveProgress(run.id);
  return {
    id: run.id,
    status: run.status,
    cancelRequested: run.cancel_requested,
    startedAt: run.started_at,
    finishedAt: run.finished_at,
    durationMs: run.duration_ms,
    progress: fromMemory ?? run.progress ?? {},
    live: fromMemory !== null,
  };
}
