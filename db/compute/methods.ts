// A version's lot-selection method (fifo_version_methods): chosen by its first run, fixed by the
// first run that succeeds, and refused when a later run asks for another one.
import { DEFAULT_LOT_METHOD, isLotMethod, type LotMethod } from "@/lib/fifo";
import type { SqlClient } from "../sql-client";

export class MethodConflictError extends Error {
  constructor(
    readonly version: number,
    readonly versionMethod: LotMethod,
    readonly requested: LotMethod,
  ) {
    super(
      `Version ${version} is computed with ${versionMethod.toUpperCase()}; it cannot be recomputed with ` +
        `${requested.toUpperCase()}. A version keeps the method of its first run: start a new version for ${requested.toUpperCase()}.`,
    );
    this.name = "MethodConflictError";
  }
}

/** The method a version is fixed to, or null for a version no run has completed yet. */
export async function versionMethod(db: SqlClient, version: number): Promise<LotMethod | null> {
  const [row] = await db.query<{ method: string }>("SELECT method FROM fifo_version_methods WHERE allocation_version = $1", [version]);
  return row && isLotMethod(row.method) ? row.method : null;
}

/** Every version's method, for pages that list versions. */
export async function versionMethods(db: SqlClient): Promise<Map<number, LotMethod>> {
  const rows = await db.query<{ allocation_version: number; method: string }>("SELECT allocation_version, method FROM fifo_version_methods");
  return new Map(rows.flatMap((r) => (isLotMethod(r.method) ? [[r.allocation_version, r.method] as const] : [])));
}

/**
 * The method a run computes with: the version's own; for a version without one, what the run
 * asked for (FIFO when it asked for nothing). Refused when the run asked for another method.
 */
export async function methodForRun(db: SqlClient, version: number, requested: string | null): Promise<LotMethod> {
  const fixed = await versionMethod(db, version);
  const asked = isLotMethod(requested) ? requested : null;
  if (fixed && asked && fixed !== asked) throw new MethodConflictError(version, fixed, asked);
  return fixed ?? asked ?? DEFAULT_LOT_METHOD;
}

/** Inside the run's transaction: fixes the version's method, or refuses if another run fixed a different one. */
export async function fixVersionMethod(tx: SqlClient, version: number, method: LotMethod, runId: number): Promise<void> {
  await tx.query(
    `INSERT INTO fifo_version_methods (allocation_version, method, fixed_by_computation_id) VALUES ($1, $2, $3)
     ON CONFLICT (allocation_version) DO NOTHING`,
    [version, method, runId],
  );
  const fixed = await versionMethod(tx, version);
  if (fixed !== method) throw new MethodConflictError(version, fixed ?? method, method);
}

/** When a version is deleted, its method goes with it: computing that number again starts afresh. */
export async function forgetVersionMethod(tx: SqlClient, version: number): Promise<void> {
  await tx.query("DELETE FROM fifo_version_methods WHERE allocation_version = $1", [version]);
  await tx.query("DELETE FROM fifo_inventory_month_end WHERE allocation_version = $1", [version]);
}
