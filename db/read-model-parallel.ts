// A full rebuild of a version's read models on a real server, split by symbol over several
// connections. Each build statement (INSERT ... SELECT) runs on one core: PostgreSQL gives such
// statements no parallel workers, and after a run nothing else keeps the other cores busy.
// The load tables are created and filled in committed transactions (other connections must see
// them) but stay out of sight until the caller's transaction swaps them in; whatever a failed
// rebuild leaves is dropped, by it or by the next one.
import os from "node:os";
import { balancedGroups } from "@/lib/compute/balanced-groups";
import { indexStatementsLike } from "./compute/version-partitions";
import { createLoadTables, loadTableName, type ReadModelTables, VERSION_TABLES, type VersionTable } from "./read-model-partitions";
import type { SqlClient } from "./sql-client";

/** Connections a full rebuild uses: FIFO_READ_MODEL_CONNECTIONS, else one per core (at most 4). */
export function readModelConnections(): number {
  const configured = Number(process.env.FIFO_READ_MODEL_CONNECTIONS);
  if (Number.isInteger(configured) && configured >= 1) return Math.min(configured, 8);
  return Math.max(1, Math.min(4, os.availableParallelism()));
}

export type Step = (name: string, fn: () => Promise<void>) => Promise<void>;

export interface ParallelBuild {
  /** Settings for a build transaction (work memory, planner switches). */
  prepare(tx: SqlClient): Promise<void>;
  /** Builds these symbols' rows into the load tables (statements that take a symbol list). */
  buildSymbols(tx: SqlClient, version: number, symbols: string[], loads: ReadModelTables, step: Step): Promise<void>;
  /** Rows computed over every symbol's rows (the overall rankings), once the symbols are built. */
  buildOverall(tx: SqlClient, version: number, loads: ReadModelTables): Promise<void>;
  /** Read models whose statistics are taken before the swap, with the columns pages filter on. */
  analyzed: readonly [VersionTable, string][];
}

/**
 * Fills fresh load tables with every row of `version` on `connections` connections of `db` (a
 * pool, outside any transaction), indexes and analyzes them, and returns their names for the
 * caller's swap. Milliseconds go into `timings`: per phase, and per build step the slowest
 * connection's; `timings.connections` is how many connections built.
 */
export async function buildLoadTablesInParallel(
  db: SqlClient,
  version: number,
  connections: number,
  build: ParallelBuild,
  timings: Record<string, number>,
): Promise<ReadModelTables> {
  if (!db.parallelTransactions) throw new Error("a parallel rebuild needs a connection pool outside any transaction");
  const loads = await db.transaction(async (tx) => {
    await dropLoadTablesIn(tx, version);
    return createLoadTables(tx, version);
  });
  const weights = await db.query<{ symbol: string; trades: number }>(
    "SELECT symbol, trades_processed AS trades FROM fifo_inventory_snapshot WHERE allocation_version = $1 ORDER BY symbol",
    [version],
  );
  const groups = balancedGroups(weights.map((w) => ({ key: w.symbol, weight: Number(w.trades) })), connections);
  timings.connections = groups.length;
  const step: Step = async (name, fn) => {
    const t0 = Date.now();
    await fn();
    timings[name] = Math.max(timings[name] ?? 0, Date.now() - t0);
  };
  await step("build", async () => {
    await Promise.all(
      groups.map((symbols) =>
        db.transaction(async (tx) => {
          await build.prepare(tx);
          await build.buildSymbols(tx, version, symbols, loads, step);
        }),
      ),
    );
  });
  await step("overall", () => db.transaction((tx) => build.buildOverall(tx, version, loads)));
  await step("indexes", async () => {
    // Every index and ANALYZE on its own over all the connections: the statistics first (ANALYZE
    // waits for any index build on its table: measured, 1.2 s lost), then the largest tables.
    const bySize: VersionTable[] = ["dash_discrepancies", "dash_sell_pnl", ...VERSION_TABLES.filter((t) => t !== "dash_discrepancies" && t !== "dash_sell_pnl")];
    const queue = build.analyzed.map(([table, columns]) => `ANALYZE ${loads[table]} (${columns})`);
    for (const table of bySize) queue.push(...(await indexStatementsLike(db, table, loads[table])));
    await Promise.all(
      Array.from({ length: Math.min(connections, queue.length) }, async () => {
        for (let statement = queue.shift(); statement; statement = queue.shift()) {
          await db.transaction(async (tx) => {
            await tx.exec("SET LOCAL max_parallel_maintenance_workers = 0");
            await tx.exec(statement);
          });
        }
      }),
    );
  });
  return loads;
}

/**
 * Drops `version`'s load tables a failed parallel rebuild left behind. Waits for any rebuild in
 * progress (`lock`), so it never drops the tables of one that started after the failure.
 */
export async function dropLeftLoadTables(db: SqlClient, version: number, lock: number): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [lock]);
    await dropLoadTablesIn(tx, version);
  });
}

async function dropLoadTablesIn(tx: SqlClient, version: number): Promise<void> {
  for (const table of VERSION_TABLES) await tx.exec(`DROP TABLE IF EXISTS ${loadTableName(table, version)}`);
}
