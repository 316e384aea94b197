// validate-allocations as a function: the SQL-checkable invariants plus the in-memory replay, the
// same checks as scripts/validate-allocations.ts, recorded in fifo_validation_results for the
// cutover checklist. (Keep the two in step when the checks change, e.g. per lot-selection method.)
import { coveredTrades, sqlViolations, storedAllocations } from "@/db/compute/validation";
import { lastSucceededRunId, recordValidation, type ValidationRecord } from "@/db/queries/cutover";
import type { SqlClient } from "@/db/sql-client";
import { replayCheck, type Violation } from "./replay-check";

export interface VersionValidation {
  violations: Violation[];
  tradesReplayed: number;
  allocationsCompared: number;
}

export async function validateVersion(db: SqlClient, version: number): Promise<VersionValidation> {
  const violations: Violation[] = await sqlViolations(db, version);
  const replay = await replayCheck(coveredTrades(db, version), storedAllocations(db, version), undefined, (v) => violations.push(v));
  return { violations, tradesReplayed: replay.trades, allocationsCompared: replay.allocations };
}

/** Records an outcome against the version's newest succeeded run (read before validating). */
export async function recordVersionValidation(
  db: SqlClient,
  version: number,
  computationId: number | null,
  outcome: VersionValidation,
  checkedBy: string,
): Promise<ValidationRecord> {
  const perInvariant = new Map<number, number>();
  for (const v of outcome.violations) perInvariant.set(v.invariant, (perInvariant.get(v.invariant) ?? 0) + 1);
  return recordValidation(db, {
    version,
    computationId,
    violations: outcome.violations.length,
    tradesReplayed: outcome.tradesReplayed,
    summary: [...perInvariant].map(([invariant, violations]) => ({ invariant, violations })),
    checkedBy,
  });
}

export async function validateAndRecord(db: SqlClient, version: number, checkedBy: string): Promise<ValidationRecord> {
  const runId = await lastSucceededRunId(db, version);
  return recordVersionValidation(db, version, runId, await validateVersion(db, version), checkedBy);
}
