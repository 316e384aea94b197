// Managing allocation versions: which one the dashboard treats as current (fifo_settings
// `current_version`), what each version holds, the number a new version gets, and deleting an old
// one. Deleting keeps the version's runs in fifo_computation_log (the audit trail) and writes a
// row to allocation_version_deletions saying who deleted what.
import { lockVersionAdmin } from "../compute/runs";
import type { SqlClient } from "../sql-client";
import { forgetVersionMethod } from "../compute/methods";
import { forgetReadModels } from "../read-models";
import { getCurrentVersion } from "./versions";

export const CURRENT_VERSION_KEY = "current_version";

/** A refusal the operator should read (the actions turn it into a form error). */
export class VersionAdminError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VersionAdminError";
  }
}

/**
 * The `current_version` setting as stored, or null when it is unset or not a positive integer.
 * What the dashboard treats as current (the setting, else the newest version with allocations)
 * is getCurrentVersion() in ./versions.ts; the checks below use that.
 */
export async function currentVersionSetting(db: SqlClient): Promise<number | null> {
  const [row] = await db.query<{ value: string }>("SELECT value FROM fifo_settings WHERE key = $1", [CURRENT_VERSION_KEY]);
  const n = Number(row?.value?.trim());
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

export interface VersionSummary {
  allocation_version: number;
  symbols: number;
  allocations: number;
  unmatched_sells: number;
  open_review_items: number;
  last_run_id: number | null;
  last_run_status: string | null;
  last_run_finished_at: string | null;
  active_run_id: number | null;
  is_current: boolean;
  /** Lot-selection method; null until the version's first run finished. */
  method: string | null;
}

/**
 * Every version that holds data (inventory snapshots: each run writes one per symbol) or has a run
 * waiting or executing, newest first. A deleted version with only log rows left is not listed.
 */
export async function listVersionSummaries(db: SqlClient): Promise<VersionSummary[]> {
  return db.query<VersionSummary>(
    `WITH versions AS (
       SELECT allocation_version FROM fifo_inventory_snapshot
       UNION SELECT allocation_version FROM fifo_computation_log WHERE status IN ('queued', 'running')
     )
     SELECT v.allocation_version,
       (SELECT count(*)::int FROM fifo_inventory_snapshot s WHERE s.allocation_version = v.allocation_version) AS symbols,
       (SELECT count(*) FROM fifo_allocations a WHERE a.allocation_version = v.allocation_version) AS allocations,
       (SELECT count(*)::int FROM fifo_unmatched_sells u WHERE u.allocation_version = v.allocation_version) AS unmatched_sells,
       (SELECT count(*)::int FROM manual_review_queue q
         WHERE q.allocation_version = v.allocation_version AND q.status IN ('pending', 'in_review')) AS open_review_items,
       lr.id AS last_run_id, lr.status AS last_run_status, lr.finished_at AS last_run_finished_at,
       (SELECT id FROM fifo_computation_log c
         WHERE c.allocation_version = v.allocation_version AND c.status IN ('queued', 'running') LIMIT 1) AS active_run_id,
       v.allocation_version = $1 AS is_current,
       (SELECT m.method FROM fifo_version_methods m WHERE m.allocation_version = v.allocation_version) AS method
     FROM versions v
     LEFT JOIN LATERAL (
       SELECT id, status, finished_at FROM fifo_computation_log c
       WHERE c.allocation_version = v.allocation_version ORDER BY id DESC LIMIT 1
     ) lr ON true
     ORDER BY v.allocation_version DESC`,
    [await getCurrentVersion(db)],
  );
}

/**
 * The number a new version gets: above every version ever used (deleted ones included), or null
 * when a version already has the largest number allocation_version can hold (2147483647).
 */
export async function nextVersionNumber(db: SqlClient): Promise<number | null> {
  const [row] = await db.query<{ n: number | null }>(
    `SELECT nullif(coalesce(max(v), 0)::bigint + 1, 2147483648) AS n FROM (
       SELECT max(allocation_version) AS v FROM fifo_computation_log
       UNION ALL SELECT max(allocation_version) FROM fifo_inventory_snapshot
       UNION ALL SELECT max(allocation_version) FROM allocation_version_deletions
     ) versions`,
  );
  return row!.n;
}

export async function versionHasData(db: SqlClient, version: number): Promise<boolean> {
  const [row] = await db.query<{ present: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM fifo_inventory_snapshot WHERE allocation_version = $1)
         OR EXISTS (SELECT 1 FROM fifo_allocations WHERE allocation_version = $1) AS present`,
    [version],
  );
  return row!.present;
}

/**
 * Makes `version` the one the dashboard treats as current. Refused for a version without data.
 * Serialized with deleteVersion (lockVersionAdmin): never points at a version being deleted.
 */
export async function setCurrentVersion(db: SqlClient, version: number): Promise<void> {
  await db.transaction(async (tx) => {
    await lockVersionAdmin(tx);
    if (!(await versionHasData(tx, version))) {
      throw new VersionAdminError(`Version ${version} has no computed data; run it first, then make it current.`);
    }
    await tx.query(
      `INSERT INTO fifo_settings (key, value, description) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
      [CURRENT_VERSION_KEY, String(version), "The allocation version the dashboard treats as current"],
    );
  });
}

export interface VersionDeletion {
  version: number;
  allocationsDeleted: number;
  unmatchedSellsDeleted: number;
  snapshotsDeleted: number;
  reviewItemsDeleted: number;
}

/**
 * Deletes a version's computed data in one transaction: its allocations, unmatched sells,
 * inventory snapshots and review items (with their history; the trades, manual cost-basis entries
 * included, stay). Its fifo_computation_log rows stay for the audit trail. Refused for the current
 * version, for a version with a queued or running run, and for a version without data. Serialized
 * with setCurrentVersion and run queueing (lockVersionAdmin).
 */
export async function deleteVersion(db: SqlClient, version: number, deletedBy: string): Promise<VersionDeletion> {
  return db.transaction(async (tx) => {
    // Nobody makes this version current or queues a run of it while it is being deleted. Without a
    // setting the dashboard treats the newest version as current: that one is refused too.
    await lockVersionAdmin(tx);
    if ((await getCurrentVersion(tx)) === version) {
      throw new VersionAdminError(`Version ${version} is the current version; make another version current first.`);
    }
    const [active] = await tx.query<{ id: number; status: string }>(
      `SELECT id, status FROM fifo_computation_log
       WHERE allocation_version = $1 AND status IN ('queued', 'running') LIMIT 1 FOR UPDATE`,
      [version],
    );
    if (active) {
      throw new VersionAdminError(
        `Version ${version} has run #${active.id} ${active.status}; wait for it to finish or cancel it first.`,
      );
    }
    if (!(await versionHasData(tx, version))) throw new VersionAdminError(`Version ${version} has no data to delete.`);

    const count = async (sql: string) => Number((await tx.query<{ n: number }>(sql, [version]))[0]?.n ?? 0);
    const result: VersionDeletion = {
      version,
      allocationsDeleted: await count(
        "WITH d AS (DELETE FROM fifo_allocations WHERE allocation_version = $1 RETURNING 1) SELECT count(*) AS n FROM d",
      ),
      unmatchedSellsDeleted: await count(
        "WITH d AS (DELETE FROM fifo_unmatched_sells WHERE allocation_version = $1 RETURNING 1) SELECT count(*) AS n FROM d",
      ),
      snapshotsDeleted: await count(
        "WITH d AS (DELETE FROM fifo_inventory_snapshot WHERE allocation_version = $1 RETURNING 1) SELECT count(*) AS n FROM d",
      ),
      // manual_review_history rows go with their items (ON DELETE CASCADE).
      reviewItemsDeleted: await count(
        "WITH d AS (DELETE FROM manual_review_queue WHERE allocation_version = $1 RETURNING 1) SELECT count(*) AS n FROM d",
      ),
    };
    // The differences' causes and the decisions about them belong to the deleted results.
    for (const table of ["fifo_pnl_differences", "fifo_cause_totals", "fifo_cause_decisions"]) {
      await tx.query(`DELETE FROM ${table} WHERE allocation_version = $1`, [version]);
    }
    await forgetReadModels(tx, version);
    await forgetVersionMethod(tx, version);
    await tx.query(
      `INSERT INTO allocation_version_deletions
         (allocation_version, deleted_by, allocations_deleted, unmatched_sells_deleted, snapshots_deleted, review_items_deleted)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [version, deletedBy, result.allocationsDeleted, result.unmatchedSellsDeleted, result.snapshotsDeleted, result.reviewItemsDeleted],
    );
    return result;
  });
}

export interface VersionDeletionRow {
  id: number;
  allocation_version: number;
  deleted_by: string;
  deleted_at: string;
  allocations_deleted: number;
  unmatched_sells_deleted: number;
  snapshots_deleted: number;
  review_items_deleted: number;
}

/** The deletion audit trail, newest first. */
export async function listVersionDeletions(db: SqlClient, limit = 20): Promise<VersionDeletionRow[]> {
  return db.query<VersionDeletionRow>("SELECT * FROM allocation_version_deletions ORDER BY id DESC LIMIT $1", [limit]);
}
