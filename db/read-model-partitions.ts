// The per-version read models are partitioned by allocation_version (migration 0016):
// dash_<table>_v<N> per version, plus dash_<table>_default for rows of versions without one.
// A full rebuild fills fresh unindexed tables (one per read model, only that version's rows),
// builds their indexes once, and swaps them in for the version's partitions: no DELETE of the
// old rows, no index maintained row by row. All inside the rebuild's transaction: if it fails,
// the fresh tables are rolled back and the previous partitions stay.
import { checkedVersion, renameLoadTable } from "./compute/version-partitions";
import type { SqlClient } from "./sql-client";

/** The read models with one row set per allocation_version (dash_version_sell_diff is per pair). */
export const VERSION_TABLES = [
  "dash_sell_pnl",
  "dash_symbol_pnl",
  "dash_daily_pnl",
  "dash_diff_histogram",
  "dash_largest_differences",
  "dash_discrepancies",
  "dash_discrepancy_counts",
] as const;
export type VersionTable = (typeof VERSION_TABLES)[number];
/** Where a build writes each read model: the partitioned table, or a version's fresh load table. */
export type ReadModelTables = Record<VersionTable, string>;

export const PARENT_TABLES: ReadModelTables = Object.fromEntries(VERSION_TABLES.map((t) => [t, t])) as ReadModelTables;

export const partitionName = (table: VersionTable, version: number) => `${table}_v${checkedVersion(version)}`;
export const loadTableName = (table: VersionTable, version: number) => `${table}_load_v${checkedVersion(version)}`;

/** One fresh table per read model, shaped like it, without indexes, accepting only `version`'s rows. */
export async function createLoadTables(tx: SqlClient, version: number): Promise<ReadModelTables> {
  const out = {} as ReadModelTables;
  for (const table of VERSION_TABLES) {
    const load = loadTableName(table, version);
    await tx.exec(
      `CREATE UNLOGGED TABLE ${load} (LIKE ${table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
         CONSTRAINT ${load}_version CHECK (allocation_version = ${checkedVersion(version)}))`,
    );
    out[table] = load;
  }
  return out;
}

/**
 * Puts the load tables in place as `version`'s partitions, replacing the previous ones and any
 * rows of the version in the default partitions. Takes every read model's lock at once, in a fixed
 * order, held until commit: pages wait from here to the commit (the swap itself is a few catalog
 * changes), not during the build.
 */
export async function swapIn(tx: SqlClient, version: number, loads: ReadModelTables): Promise<void> {
  await tx.exec(`LOCK TABLE ${VERSION_TABLES.join(", ")} IN ACCESS EXCLUSIVE MODE`);
  for (const table of VERSION_TABLES) {
    const partition = partitionName(table, version);
    await tx.query(`DELETE FROM ${table}_default WHERE allocation_version = $1`, [version]);
    const [existing] = await tx.query<{ ok: boolean }>("SELECT to_regclass($1) IS NOT NULL AS ok", [`public.${partition}`]);
    if (existing!.ok) await tx.exec(`DROP TABLE ${partition}`);
    await renameLoadTable(tx, loads[table], partition);
    await tx.exec(`ALTER TABLE ${table} ATTACH PARTITION ${partition} FOR VALUES IN (${checkedVersion(version)})`);
  }
}

/** A deleted version's read models: its partitions dropped, its rows in the default partitions gone. */
export async function dropVersionPartitions(tx: SqlClient, version: number): Promise<void> {
  await tx.exec(`LOCK TABLE ${VERSION_TABLES.join(", ")} IN ACCESS EXCLUSIVE MODE`);
  for (const table of VERSION_TABLES) {
    await tx.query(`DELETE FROM ${table}_default WHERE allocation_version = $1`, [version]);
    await tx.exec(`DROP TABLE IF EXISTS ${partitionName(table, version)}`);
  }
}
