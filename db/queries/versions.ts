// Which allocation version the dashboard shows by default, and which versions exist.
import type { SqlClient } from "../sql-client";

/**
 * fifo_settings `current_version` when it is a positive integer, else the highest version with
 * allocations, else 1.
 */
export async function getCurrentVersion(db: SqlClient): Promise<number> {
  const [row] = await db.query<{ v: number | null }>(
    `SELECT coalesce(
       (SELECT CASE WHEN value ~ '^\\s*[0-9]{1,9}\\s*$' AND trim(value)::int > 0 THEN trim(value)::int END
        FROM fifo_settings WHERE key = 'current_version'),
       (SELECT max(allocation_version) FROM fifo_allocations),
       1) AS v`,
  );
  return row?.v ?? 1;
}

export interface VersionOption {
  version: number;
  isCurrent: boolean;
  hasData: boolean;
}

/**
 * Versions that hold results or have runs, newest first, flagged current/with data. `current`:
 * the current version when the caller already read it (saves reading it again).
 */
export async function listVersions(db: SqlClient, current?: number): Promise<VersionOption[]> {
  current ??= await getCurrentVersion(db);
  const rows = await db.query<{ version: number; has_data: boolean }>(
    `SELECT v AS version, bool_or(has_data) AS has_data FROM (
       SELECT DISTINCT allocation_version AS v, true AS has_data FROM fifo_inventory_snapshot
       UNION ALL SELECT DISTINCT allocation_version, false FROM fifo_computation_log
     ) s GROUP BY v ORDER BY v DESC`,
  );
  const list = rows.map((r) => ({ version: r.version, isCurrent: r.version === current, hasData: r.has_data }));
  if (!list.some((v) => v.isCurrent)) list.unshift({ version: current, isCurrent: true, hasData: false });
  return list.sort((a, b) => b.version - a.version);
}
