// Cutover records: validation outcomes per version, the facts the checklist needs, and the log of
// every change of the current version (fifo_cutovers), written in the same transaction as the change.
import type { SqlClient } from "../sql-client";
import { setCurrentVersion } from "./version-admin";
import { getCurrentVersion } from "./versions";

export interface ValidationRecord {
  id: number;
  allocation_version: number;
  computation_id: number | null;
  passed: boolean;
  violations: number;
  trades_replayed: number;
  summary: { invariant: number; violations: number }[];
  checked_by: string;
  checked_at: string;
}

/**
 * The version's newest succeeded run that could have changed its results: a full run, or an
 * incremental one that read trades. (A follow run that found nothing new leaves a validation valid.)
 */
export async function lastSucceededRunId(db: SqlClient, version: number): Promise<number | null> {
  const [row] = await db.query<{ id: number }>(
    `SELECT max(id) AS id FROM fifo_computation_log
     WHERE allocation_version = $1 AND status = 'succeeded' AND (mode = 'full' OR trades_read > 0)`,
    [version],
  );
  return row?.id ?? null;
}

export async function recordValidation(
  db: SqlClient,
  input: { version: number; computationId: number | null; violations: number; tradesReplayed: number; summary: ValidationRecord["summary"]; checkedBy: string },
): Promise<ValidationRecord> {
  const [row] = await db.query<ValidationRecord>(
    `INSERT INTO fifo_validation_results (allocation_version, computation_id, passed, violations, trades_replayed, summary, checked_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
    [input.version, input.computationId, input.violations === 0, input.violations, input.tradesReplayed, JSON.stringify(input.summary), input.checkedBy],
  );
  return row!;
}

export async function latestValidation(db: SqlClient, version: number): Promise<ValidationRecord | null> {
  const [row] = await db.query<ValidationRecord>(
    "SELECT * FROM fifo_validation_results WHERE allocation_version = $1 ORDER BY id DESC LIMIT 1",
    [version],
  );
  return row ?? null;
}

export async function openCriticalItems(db: SqlClient, version: number): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM manual_review_queue
     WHERE allocation_version = $1 AND severity = 'critical' AND status IN ('pending', 'in_review')`,
    [version],
  );
  return row!.n;
}

export interface CutoverRecord {
  id: number;
  allocation_version: number;
  previous_version: number | null;
  made_by: string;
  made_at: string;
  source: "dashboard" | "cli";
  checklist: { key: string; label: string; passed: boolean; detail: string }[];
  checklist_passed: boolean;
  backup_acknowledged: boolean;
  override_reason: string | null;
}

/**
 * Makes `version` current and records how: one transaction, so the log never disagrees with the
 * setting. setCurrentVersion refuses a version without data (VersionAdminError).
 */
export async function switchCurrentVersion(
  db: SqlClient,
  input: Omit<CutoverRecord, "id" | "made_at" | "previous_version">,
): Promise<CutoverRecord> {
  return db.transaction(async (tx) => {
    const previous = await getCurrentVersion(tx);
    await setCurrentVersion(tx, input.allocation_version);
    const [row] = await tx.query<CutoverRecord>(
      `INSERT INTO fifo_cutovers (allocation_version, previous_version, made_by, source, checklist, checklist_passed, backup_acknowledged, override_reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [
        input.allocation_version,
        previous,
        input.made_by,
        input.source,
        JSON.stringify(input.checklist),
        input.checklist_passed,
        input.backup_acknowledged,
        input.override_reason,
      ],
    );
    return row!;
  });
}

export async function listCutovers(db: SqlClient, limit = 20): Promise<CutoverRecord[]> {
  return db.query<CutoverRecord>("SELECT * FROM fifo_cutovers ORDER BY id DESC LIMIT $1", [limit]);
}
