// Making a version current, for the versions page and `set-current-version`: gather the facts,
// evaluate the checklist, and switch only when it passes or an admin gave an override reason.
import { driftSummary, validationPeriod } from "@/db/queries/drift";
import { lastSucceededRunId, latestValidation, openCriticalItems, switchCurrentVersion, type CutoverRecord } from "@/db/queries/cutover";
import type { SqlClient } from "@/db/sql-client";
import { VersionAdminError, versionHasData } from "@/db/queries/version-admin";
import { decideCutover, evaluateChecklist, type Checklist } from "./checklist";

export async function loadChecklist(db: SqlClient, version: number, backupAcknowledged: boolean): Promise<Checklist> {
  const period = await validationPeriod(db, version);
  const [runId, validation, openCritical, drift] = [
    await lastSucceededRunId(db, version),
    await latestValidation(db, version),
    await openCriticalItems(db, version),
    await driftSummary(db, version, period),
  ];
  return evaluateChecklist({
    version,
    lastSucceededRunId: runId,
    validation: validation && {
      computationId: validation.computation_id,
      passed: validation.passed,
      violations: validation.violations,
      checkedAt: validation.checked_at,
      checkedBy: validation.checked_by,
    },
    openCritical,
    drift: { from: period.from, to: period.to, ...drift },
    backupAcknowledged,
  });
}

export type MakeCurrentOutcome = { ok: true; record: CutoverRecord; checklist: Checklist } | { ok: false; error: string; checklist: Checklist };

export async function makeVersionCurrent(
  db: SqlClient,
  input: { version: number; backupAcknowledged: boolean; overrideReason?: string | null; by: string; source: CutoverRecord["source"] },
): Promise<MakeCurrentOutcome> {
  if (!(await versionHasData(db, input.version))) {
    throw new VersionAdminError(`Version ${input.version} has no computed data; run it first, then make it current.`);
  }
  const checklist = await loadChecklist(db, input.version, input.backupAcknowledged);
  const decision = decideCutover(checklist, input.overrideReason);
  if (!decision.allowed) return { ok: false, error: decision.error, checklist };
  const record = await switchCurrentVersion(db, {
    allocation_version: input.version,
    made_by: input.by,
    source: input.source,
    checklist: checklist.items,
    checklist_passed: checklist.passed,
    backup_acknowledged: input.backupAcknowledged,
    override_reason: decision.overrideReason,
  });
  return { ok: true, record, checklist };
}
