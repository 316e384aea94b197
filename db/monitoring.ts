// The reads behind /api/health (is the database there, are the migrations current) and
// /api/metrics (per version: open review items, last run, drift; the run queue). All cheap:
// indexed counts, the run log, and the dash_symbol_pnl read model for drift rather than a scan
// of the allocations, so a scrape every few seconds costs next to nothing at 1M trades.
import journal from "@/drizzle/meta/_journal.json";
import type { SqlClient } from "./sql-client";

/** The migrations this build expects (bundled at build time, so no file is read at run time). */
export function expectedMigrations(): { tag: string; when: number }[] {
  return journal.entries.map((e) => ({ tag: e.tag, when: e.when }));
}

/** Tags of this build's migrations the database has not applied. */
export async function pendingMigrationTags(db: SqlClient): Promise<string[]> {
  const [exists] = await db.query<{ ok: boolean }>("SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS ok");
  if (!exists?.ok) return expectedMigrations().map((m) => m.tag);
  const rows = await db.query<{ created_at: string }>("SELECT created_at::text AS created_at FROM drizzle.__drizzle_migrations");
  const applied = new Set(rows.map((r) => Number(r.created_at)));
  return expectedMigrations()
    .filter((m) => !applied.has(m.when))
    .map((m) => m.tag);
}

export async function pingDatabase(db: SqlClient): Promise<void> {
  await db.query("SELECT 1");
}

export interface OpenItemsRow {
  version: number;
  severity: string;
  items: number;
}

export interface LastRunRow {
  version: number;
  runId: number;
  status: string;
  /** Seconds since the run finished (or started, or was queued, while it has not). */
  ageSeconds: string;
  durationMs: number | null;
}

export interface DriftRow {
  version: number;
  newPnlUsd: string;
  oldPnlUsd: string;
  driftUsd: string;
}

export interface QueueFigures {
  queued: number;
  running: number;
  paused: boolean;
}

export interface MonitoringFigures {
  openItems: OpenItemsRow[];
  lastRuns: LastRunRow[];
  drift: DriftRow[];
  queue: QueueFigures;
}

const LIVE_VERSION = `allocation_version NOT IN (SELECT allocation_version FROM allocation_version_deletions)`;

export async function monitoringFigures(db: SqlClient): Promise<MonitoringFigures> {
  const openItems = await db.query<OpenItemsRow>(
    `SELECT allocation_version AS version, severity, count(*)::int AS items FROM manual_review_queue
     WHERE status IN ('pending', 'in_review') GROUP BY allocation_version, severity ORDER BY 1, 2`,
  );
  const lastRuns = await db.query<LastRunRow>(
    `SELECT DISTINCT ON (allocation_version) allocation_version AS version, id AS "runId", status,
            round(extract(epoch FROM clock_timestamp() - coalesce(finished_at, started_at, created_at)), 3)::text AS "ageSeconds",
            duration_ms AS "durationMs"
     FROM fifo_computation_log WHERE ${LIVE_VERSION}
     ORDER BY allocation_version, id DESC`,
  );
  const drift = await db.query<DriftRow>(
    `SELECT allocation_version AS version, sum(realized_pnl_usd)::text AS "newPnlUsd", sum(old_pnl_usd)::text AS "oldPnlUsd",
            sum(realized_pnl_usd - old_pnl_usd)::text AS "driftUsd"
     FROM dash_symbol_pnl WHERE ${LIVE_VERSION} GROUP BY allocation_version ORDER BY 1`,
  );
  const [queue] = await db.query<{ queued: number; running: number; paused: boolean }>(
    `SELECT count(*) FILTER (WHERE status = 'queued')::int AS queued, count(*) FILTER (WHERE status = 'running')::int AS running,
            coalesce((SELECT trim(value) = 'true' FROM fifo_settings WHERE key = 'runner_paused'), false) AS paused
     FROM fifo_computation_log WHERE status IN ('queued', 'running')`,
  );
  return { openItems, lastRuns, drift, queue: queue ?? { queued: 0, running: 0, paused: false } };
}
