// Runs executing in this process: their latest progress and a way to cancel them. The database
// has the same facts for other processes; this registry serves PGlite (one connection, held by
// the run's transaction) and tells stale-run detection which runs are alive here.
import type { RunProgress } from "@/db/compute/runs";

interface LiveRun {
  progress: RunProgress | null;
  abort: AbortController;
}

const holder = globalThis as typeof globalThis & { __fifoLiveRuns?: Map<number, LiveRun> };
const live = (holder.__fifoLiveRuns ??= new Map());

export function registerLiveRun(runId: number): LiveRun {
  const entry: LiveRun = { progress: null, abort: new AbortController() };
  live.set(runId, entry);
  return entry;
}

export function unregisterLiveRun(runId: number): void {
  live.delete(runId);
}

export function liveRunIds(): Set<number> {
  return new Set(live.keys());
}

export function liveProgress(runId: number): RunProgress | null {
  return live.get(runId)?.progress ?? null;
}

/** Asks a run executing in this process to stop; returns false if it is not here. */
export function cancelLiveRun(runId: number): boolean {
  const entry = live.get(runId);
  entry?.abort.abort();
  return Boolean(entry);
}
