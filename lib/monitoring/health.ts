// /api/health: is this server up, does its database answer, are the migrations current, is the
// background runner polling. No authentication, so no data: only these states.
import { pendingMigrationTags, pingDatabase } from "@/db/monitoring";
import type { SqlClient } from "@/db/sql-client";

export type DatabaseState = "reachable" | "unreachable" | "timeout";
export type MigrationState = "current" | "pending" | "unknown";
/** alive: polled recently; off: FIFO_RUNNER=off (another process runs the queue); starting: no poll yet. */
export type RunnerState = "alive" | "starting" | "stalled" | "not_started" | "off";

export interface HealthReport {
  status: "ok" | "unhealthy";
  up: true;
  database: DatabaseState;
  migrations: MigrationState;
  runner: RunnerState;
}

/** A runner polls every second (5 s after a failed poll); a minute without a poll is a stall. */
export const RUNNER_STALL_MS = 60_000;

export function runnerState(
  runner: { lastPollAt(): number | null } | null,
  env: Record<string, string | undefined> = process.env,
  now: number = Date.now(),
): RunnerState {
  if (env.FIFO_RUNNER === "off") return "off";
  if (!runner) return "not_started";
  const last = runner.lastPollAt();
  if (last === null) return "starting";
  return now - last <= RUNNER_STALL_MS ? "alive" : "stalled";
}

export class TimeoutError extends Error {}

export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export async function checkHealth(
  openDb: () => Promise<SqlClient>,
  runner: RunnerState,
  timeoutMs = 3000,
): Promise<HealthReport & { pendingMigrations: string[] }> {
  let database: DatabaseState = "reachable";
  let migrations: MigrationState = "unknown";
  let pending: string[] = [];
  let db: SqlClient | null = null;
  try {
    db = await withTimeout(openDb(), timeoutMs);
    await withTimeout(pingDatabase(db), timeoutMs);
  } catch (error) {
    database = error instanceof TimeoutError ? "timeout" : "unreachable";
  }
  if (db && database === "reachable") {
    try {
      pending = await withTimeout(pendingMigrationTags(db), timeoutMs);
      migrations = pending.length === 0 ? "current" : "pending";
    } catch {
      migrations = "unknown";
    }
  }
  const healthy = database === "reachable" && migrations === "current" && runner !== "stalled" && runner !== "not_started";
  return { status: healthy ? "ok" : "unhealthy", up: true, database, migrations, runner, pendingMigrations: pending };
}
