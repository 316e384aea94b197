// Tables partitioned by version: fifo_allocations (migration 0009) and fifo_pnl_differences (0017),
// each with <table>_v<N> per version plus <table>_default for rows of versions that have no
// partition yet.
// A full run of every symbol writes the version's rows into a fresh table without indexes, builds
// the indexes once after the load (far cheaper than maintaining B-trees row by row), and swaps it
// in for the version's partition. All of it happens inside the run's transaction: if the run fails
// or is killed, the fresh table is rolled back and the previous partition is untouched.
import { quoteIdent, type SqlClient } from "../sql-client";

export type VersionTable = "fifo_allocations" | "fifo_pnl_differences";

export function checkedVersion(version: number): number {
  if (!Number.isSafeInteger(version) || version < 1) throw new Error(`invalid allocation version ${version}`);
  return version;
}

export function partitionName(version: number, parent: VersionTable = "fifo_allocations"): string {
  return `${parent}_v${checkedVersion(version)}`;
}

const defaultPartition = (parent: VersionTable) => `${parent}_default`;

async function exists(tx: SqlClient, table: string): Promise<boolean> {
  const [row] = await tx.query<{ ok: boolean }>("SELECT to_regclass($1) IS NOT NULL AS ok", [`public.${table}`]);
  return row!.ok;
}

/** A table shaped like `parent`, without indexes, that only accepts `version`'s rows. */
async function createLoadTable(tx: SqlClient, parent: VersionTable, table: string, version: number): Promise<void> {
  await tx.exec(
    `CREATE TABLE ${table} (LIKE ${parent} INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
       CONSTRAINT ${table}_version CHECK (allocation_version = ${checkedVersion(version)}))`,
  );
}

/**
 * The parent's primary key and indexes, rewritten for `table` (so ATTACH adopts them as they are).
 * Also used for the read models' partitions (db/read-model-partitions.ts).
 */
export async function buildIndexesLike(tx: SqlClient, parent: string, table: string): Promise<void> {
  for (const statement of await indexStatementsLike(tx, parent, table)) await tx.exec(statement);
}

/** The statements of buildIndexesLike, each of which can run on a connection of its own. */
export async function indexStatementsLike(tx: SqlClient, parent: string, table: string): Promise<string[]> {
  const constraints = await tx.query<{ def: string }>(
    `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint
     WHERE conrelid = $1::regclass AND contype IN ('p', 'u') ORDER BY contype, conname`,
    [`public.${parent}`],
  );
  const indexes = await tx.query<{ def: string }>(
    `SELECT pg_get_indexdef(x.indexrelid) AS def FROM pg_index x
     WHERE x.indrelid = $1::regclass
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid)
     ORDER BY x.indexrelid`,
    [`public.${parent}`],
  );
  const head = new RegExp(`^CREATE (UNIQUE )?INDEX \\S+ ON (ONLY )?(public\\.)?${parent} `);
  return [
    ...constraints.map((c) => `ALTER TABLE ${table} ADD ${c.def}`),
    ...indexes.map(({ def }) => {
      if (!head.test(def)) throw new Error(`unexpected index definition on ${parent}: ${def}`);
      return def.replace(head, (_m, unique: string | undefined) => `CREATE ${unique ?? ""}INDEX ON ${table} `);
    }),
  ];
}

/**
 * Partition changes take the parent's lock before touching the default partition: ATTACH locks
 * the default partition exclusively (to scan it), so two runs of different versions that each
 * held the default partition and waited for the parent would deadlock. Held until commit.
 */
async function lockParent(tx: SqlClient, parent: VersionTable): Promise<void> {
  await tx.exec(`LOCK TABLE ${parent} IN SHARE UPDATE EXCLUSIVE MODE`);
}

/** Puts `table` in place as `version`'s partition, replacing the previous one and any default rows. */
async function swapIn(tx: SqlClient, parent: VersionTable, table: string, version: number): Promise<void> {
  const partition = partitionName(version, parent);
  if (await exists(tx, partition)) {
    await tx.exec(`ALTER TABLE ${parent} DETACH PARTITION ${partition}`);
    await tx.exec(`DROP TABLE ${partition}`);
  }
  if (table !== partition) await renameLoadTable(tx, table, partition);
  await tx.exec(`ALTER TABLE ${parent} ATTACH PARTITION ${partition} FOR VALUES IN (${version})`);
}

/** The table, its indexes and its version check take the partition's name (the old one is gone). */
export async function renameLoadTable(tx: SqlClient, table: string, partition: string): Promise<void> {
  await tx.exec(`ALTER TABLE ${table} RENAME TO ${partition}`);
  await tx.exec(`ALTER TABLE ${partition} RENAME CONSTRAINT ${table}_version TO ${partition}_version`);
  const indexes = await tx.query<{ name: string }>(
    "SELECT c.relname AS name FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid WHERE x.indrelid = $1::regclass",
    [`public.${partition}`],
  );
  for (const { name } of indexes) {
    if (name.startsWith(table)) await tx.exec(`ALTER INDEX ${quoteIdent(name)} RENAME TO ${quoteIdent(partition + name.slice(table.length))}`);
  }
}

/**
 * Gives `version` its own partition of `parent` if it has none, moving its rows out of the default
 * partition. Runs that write through the parent (incremental runs, runs of some symbols) call this first.
 */
export async function ensureVersionPartition(tx: SqlClient, version: number, parent: VersionTable = "fifo_allocations"): Promise<void> {
  const partition = partitionName(version, parent);
  if (await exists(tx, partition)) return;
  await lockParent(tx, parent);
  if (await exists(tx, partition)) return;
  await createLoadTable(tx, parent, partition, version);
  await tx.query(`INSERT INTO ${partition} SELECT * FROM ${defaultPartition(parent)} WHERE allocation_version = $1`, [version]);
  await tx.query(`DELETE FROM ${defaultPartition(parent)} WHERE allocation_version = $1`, [version]);
  await buildIndexesLike(tx, parent, partition);
  await tx.exec(`ALTER TABLE ${parent} ATTACH PARTITION ${partition} FOR VALUES IN (${version})`);
}

/**
 * Replaces every row of `version` in `parent` with `load`'s rows: `load` fills a fresh unindexed
 * table (COPY), the indexes are built once, and the table is swapped in as the version's partition.
 * Returns what `load` returned (the number of rows written).
 */
export async function replaceVersionRows(
  tx: SqlClient,
  parent: VersionTable,
  version: number,
  runId: number,
  load: (table: string) => Promise<number>,
  onLoaded?: () => void,
): Promise<number> {
  if (!Number.isSafeInteger(runId) || runId < 1) throw new Error(`invalid run id ${runId}`);
  const table = `${parent}_load_r${runId}`;
  // Before anything reads the parent: CREATE TABLE ... LIKE takes a share lock on it, and taking
  // this lock after that is an upgrade two swapping runs deadlock on (each holds the share lock the
  // other's DETACH waits for). Concurrent full runs of other versions load one after the other.
  await lockParent(tx, parent);
  await createLoadTable(tx, parent, table, version);
  const written = await load(table);
  onLoaded?.();
  await buildIndexesLike(tx, parent, table);
  await tx.query(`DELETE FROM ${defaultPartition(parent)} WHERE allocation_version = $1`, [version]);
  await swapIn(tx, parent, table, version);
  return written;
}

/** fifo_allocations' rows of `version` (see replaceVersionRows). */
export function replaceVersionAllocations(
  tx: SqlClient,
  version: number,
  runId: number,
  load: (table: string) => Promise<number>,
  onLoaded?: () => void,
): Promise<number> {
  return replaceVersionRows(tx, "fifo_allocations", version, runId, load, onLoaded);
}
