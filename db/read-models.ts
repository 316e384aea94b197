// The dashboard's read models (dash_* tables, migration 0002): pre-aggregations of one allocation
// version, so pages stay fast at 1,000,000 trades. They are derived data, rebuilt per version:
// - after every successful run (the compute run calls refreshReadModels), and
// - on demand by pages (ensureReadModels) when dash_refresh_state's stamp no longer matches the
//   version's fifo_inventory_snapshot rows (every run rewrites those), e.g. after a run that did
//   not call the hook, or after a version was deleted.
// Live tables (manual_review_queue, fifo_computation_log, trade_records) are still read live.
import { withLocalSettings } from "./compute/planner-settings";
import { buildIndexesLike } from "./compute/version-partitions";
import { applyIncrementalDelta, type ResumedSymbol } from "./read-model-delta";
import { buildLoadTablesInParallel, dropLeftLoadTables, type ParallelBuild, readModelConnections, type Step } from "./read-model-parallel";
import {
  createLoadTables, dropVersionPartitions, PARENT_TABLES, partitionName, type ReadModelTables, swapIn, VERSION_TABLES, type VersionTable,
} from "./read-model-partitions";
import type { SqlClient } from "./sql-client";

/** Per-sell difference -> signed power-of-ten bucket (see dash_diff_histogram in 0002). */
export const bucketSql = (d: string) =>
  `(sign(${d}) * CASE WHEN abs(${d}) < 0.01 THEN 0 WHEN abs(${d}) < 0.1 THEN 1 WHEN abs(${d}) < 1 THEN 2
     WHEN abs(${d}) < 10 THEN 3 WHEN abs(${d}) < 100 THEN 4 WHEN abs(${d}) < 1000 THEN 5 WHEN abs(${d}) < 10000 THEN 6
     WHEN abs(${d}) < 100000 THEN 7 ELSE 8 END)::smallint`;

/** How many of the largest differences are kept per (version, baseline, scope). */
export const LARGEST_KEPT = 100;

const READ_MODEL_LOCK = 4_242_002; // pg_advisory_xact_lock key: one refresh at a time

/** Read models whose fresh statistics keep the pages' plans sane, and the columns pages filter on. */
const ANALYZED: [VersionTable, string][] = [
  ["dash_discrepancies", "discrepancy_type, symbol, cause, trade_time, abs_difference"],
  ["dash_discrepancy_counts", "symbol, discrepancy_type"],
];

/** The symbols a refresh rebuilds ($2 of every build statement): null = all of them. */
const IN_SCOPE = "($2::text[] IS NULL OR symbol = ANY ($2::text[]))";

/** What a version's read models are built from; changes whenever a run rewrites the version. */
export async function sourceStamp(db: SqlClient, version: number): Promise<string> {
  const [row] = await db.query<{ stamp: string }>(`SELECT ${SOURCE_STAMP} AS stamp`, [version]);
  return row?.stamp ?? "0:0";
}

const SOURCE_STAMP = `(SELECT coalesce(max(computation_id), 0) || ':' || count(*)
  FROM fifo_inventory_snapshot WHERE allocation_version = $1)`;

async function storedStamp(db: SqlClient, version: number): Promise<string | null> {
  const [row] = await db.query<{ source_stamp: string }>(
    "SELECT source_stamp FROM dash_refresh_state WHERE allocation_version = $1",
    [version],
  );
  return row?.source_stamp ?? null;
}

export interface RefreshOptions {
  /**
   * Rebuild only these symbols' rows (an incremental run's touched symbols), provided the read
   * models were up to date at `previousStamp` (the stamp before the run); otherwise all of them.
   */
  symbols?: string[];
  previousStamp?: string;
  /** Of `symbols`, those the run resumed from their snapshot (with their previous point). */
  resumed?: ResumedSymbol[];
  /** Rebuild even when the stored stamp says the read models are current (after a run). */
  force?: boolean;
  /** Connections a full rebuild may use on a real server (default: readModelConnections()). */
  connections?: number;
}

export type RefreshOutcome = "rebuilt" | "up_to_date";

/**
 * Rebuilds `version`'s dash_* rows in one transaction. One refresh at a time (an advisory lock on
 * a real server, plus one in-flight refresh per version and process): whoever waited re-checks
 * the stamp after getting the lock and does nothing if the one before them already rebuilt.
 */
export async function refreshReadModels(db: SqlClient, version: number, options: RefreshOptions = {}): Promise<RefreshOutcome> {
  // A run's refresh must see its own commit: it never joins a rebuild that started before it.
  if (options.force || options.symbols) return rebuild(db, version, options);
  return singleFlight(db, version, () => rebuild(db, version, options));
}

const inFlight = new WeakMap<SqlClient, Map<string, Promise<RefreshOutcome>>>();

/** Concurrent callers of the same refresh in this process share one promise. */
async function singleFlight(db: SqlClient, version: number, fn: () => Promise<RefreshOutcome>) {
  const mine = inFlight.get(db) ?? new Map<string, Promise<RefreshOutcome>>();
  inFlight.set(db, mine);
  const key = String(version);
  const running = mine.get(key);
  if (running) return running;
  const promise = fn().finally(() => mine.delete(key));
  mine.set(key, promise);
  return promise;
}

async function rebuild(db: SqlClient, version: number, options: RefreshOptions): Promise<RefreshOutcome> {
  const connections = db.parallelTransactions ? (options.connections ?? readModelConnections()) : 1;
  try {
    return await rebuildIn(db, version, options, connections);
  } catch (error) {
    if (connections > 1) await dropLeftLoadTables(db, version, READ_MODEL_LOCK).catch(() => undefined);
    throw error;
  }
}

async function rebuildIn(db: SqlClient, version: number, options: RefreshOptions, connections: number): Promise<RefreshOutcome> {
  const started = Date.now();
  return db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [READ_MODEL_LOCK]);
    const stamp = await sourceStamp(tx, version);
    const stored = await storedStamp(tx, version);
    if (stored === stamp && !options.force) return "up_to_date";
    const partial = options.symbols !== undefined && options.previousStamp !== undefined && stored === options.previousStamp;
    const symbols = partial ? options.symbols! : null;
    await prepareBuild(tx, !symbols);
    const steps: Record<string, number> = {};
    const step = async (name: string, fn: () => Promise<void>) => {
      const t0 = Date.now();
      await fn();
      steps[name] = Date.now() - t0;
    };
    const others = await tx.query<{ allocation_version: number }>(
      "SELECT allocation_version FROM dash_refresh_state WHERE allocation_version <> $1",
      [version],
    );
    // Every touched symbol resumed from its snapshot, and no version-vs-version rows to keep in
    // step: add the run's new sells instead of rebuilding.
    if (symbols && others.length === 0 && options.resumed && options.resumed.length === symbols.length) {
      const t0 = Date.now();
      await applyIncrementalDelta(tx, version, options.resumed, step);
      steps.delta = Date.now() - t0;
      steps.symbols = symbols.length;
      await saveState(tx, version, stamp, Date.now() - started, steps);
      return "rebuilt";
    }
    if (symbols) {
      await deleteRows(tx, version, symbols);
      await buildAll(tx, version, symbols, PARENT_TABLES, step);
      await step("overall", () => buildOverall(tx, version, PARENT_TABLES));
      for (const { allocation_version: other } of others) {
        await step(`vs_v${other}`, () => buildVersionDiff(tx, version, other, symbols));
      }
      steps.symbols = symbols.length;
    } else {
      // Every row of the version: fresh tables, indexes built once, swapped in (0016).
      const loads =
        connections > 1
          ? await buildLoadTablesInParallel(db, version, connections, PARALLEL_BUILD, steps)
          : await buildLoadTables(tx, version, step);
      await step("swap", () => swapIn(tx, version, loads));
      if (others.length) await deletePairRows(tx, version, null);
      for (const { allocation_version: other } of others) {
        await step(`vs_v${other}`, () => buildVersionDiff(tx, version, other, null));
      }
    }
    await saveState(tx, version, stamp, Date.now() - started, steps);
    if (tx.engine === "postgres") {
      if (symbols) for (const [table, columns] of ANALYZED) await tx.exec(`ANALYZE ${await versionPartition(tx, table, version)} (${columns})`);
      if (others.length) await tx.exec("ANALYZE dash_version_sell_diff");
    }
    return "rebuilt";
  });
}

/** Settings of a rebuild's transaction; `wholeSet`: it reads whole tables, not a few symbols. */
async function prepareBuild(tx: SqlClient, wholeSet: boolean) {
  // Large sorts and hashes: enough memory to keep them off disk, for this transaction only.
  await tx.exec("SET LOCAL work_mem = '64MB'");
  // Compiling these one-off statements costs seconds and saves nothing (measured: 40% of a refresh).
  if (tx.engine === "postgres") await tx.exec("SET LOCAL jit = off");
  // A full rebuild joins whole tables: hash joins, never an index probe per allocation (measured:
  // the discrepancy checks took 3x longer as nested loops). Rebuilds of a few symbols keep them.
  // And hash aggregates and joins, not sorts: the fresh tables have no statistics yet, and on
  // their tiny estimates the planner sorted ~100,000 rows per GROUP BY (measured: 2x slower).
  // And whole tables (or a share of their symbols) read by sequential scan, not through a bitmap of
  // an index that selects most of the table anyway (measured: the discrepancy checks 23% faster).
  if (wholeSet) await tx.exec("SET LOCAL enable_nestloop = off; SET LOCAL enable_sort = off; SET LOCAL enable_bitmapscan = off");
}

/** The full rebuild on one connection, inside the rebuild's transaction. */
async function buildLoadTables(tx: SqlClient, version: number, step: Step): Promise<ReadModelTables> {
  const loads = await createLoadTables(tx, version);
  await buildAll(tx, version, null, loads, step);
  await step("overall", () => buildOverall(tx, version, loads));
  await step("indexes", async () => {
    for (const table of VERSION_TABLES) await buildIndexesLike(tx, table, loads[table]);
    // The pages' plans read one partition: its own statistics, taken before the swap locks pages out.
    if (tx.engine === "postgres") for (const [table, columns] of ANALYZED) await tx.exec(`ANALYZE ${loads[table]} (${columns})`);
  });
  return loads;
}

/** The same build split by symbol over several connections (db/read-model-parallel.ts). */
const PARALLEL_BUILD: ParallelBuild = {
  // Parallel across connections already: workers per statement would only compete for the same cores.
  prepare: async (tx) => {
    await prepareBuild(tx, true);
    await tx.exec("SET LOCAL max_parallel_workers_per_gather = 0");
  },
  buildSymbols: (tx, version, symbols, loads, step) => buildAll(tx, version, symbols, loads, step),
  buildOverall: (tx, version, loads) => buildOverall(tx, version, loads),
  analyzed: ANALYZED,
};

async function saveState(tx: SqlClient, version: number, stamp: string, durationMs: number, steps: Record<string, number>) {
  await tx.query(
    `INSERT INTO dash_refresh_state (allocation_version, source_stamp, refreshed_at, duration_ms, steps)
     VALUES ($1, $2, now(), $3, $4::jsonb)
     ON CONFLICT (allocation_version) DO UPDATE
     SET source_stamp = excluded.source_stamp, refreshed_at = excluded.refreshed_at, duration_ms = excluded.duration_ms,
       steps = excluded.steps`,
    [version, stamp, durationMs, JSON.stringify(steps)],
  );
}

/**
 * Forgets a deleted version's read models (db/queries/version-admin.ts deleteVersion): its
 * partitions, its comparisons with other versions, and its refresh state, so no later refresh
 * of another version keeps comparing with it.
 */
export async function forgetReadModels(tx: SqlClient, version: number): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock($1)", [READ_MODEL_LOCK]);
  await dropVersionPartitions(tx, version);
  await deletePairRows(tx, version, null);
  await tx.query("DELETE FROM dash_refresh_state WHERE allocation_version = $1", [version]);
}

/** The rows a refresh of some symbols replaces: the version's (and its pairs with other versions'). */
async function deleteRows(tx: SqlClient, version: number, symbols: string[]) {
  const params = [version, symbols];
  for (const table of ["dash_sell_pnl", "dash_symbol_pnl", "dash_daily_pnl", "dash_diff_histogram", "dash_discrepancies", "dash_discrepancy_counts"]) {
    await tx.query(`DELETE FROM ${table} WHERE allocation_version = $1 AND ${IN_SCOPE}`, params);
  }
  await tx.query(`DELETE FROM dash_largest_differences WHERE allocation_version = $1 AND ${SCOPED}`, params);
  await deletePairRows(tx, version, symbols);
}

/** Overall rankings ('*') are rebuilt from the per-symbol ones; per-symbol rows have scope = symbol. */
const SCOPED = "(scope = '*' OR $2::text[] IS NULL OR scope = ANY ($2::text[]))";

/** The version's rows of version-vs-version comparisons, in its own and other versions' partitions. */
async function deletePairRows(tx: SqlClient, version: number, symbols: string[] | null) {
  const params = [version, symbols];
  await tx.query(`DELETE FROM dash_version_sell_diff WHERE (version_hi = $1 OR version_lo = $1) AND ${IN_SCOPE}`, params);
  await tx.query(`DELETE FROM dash_diff_histogram WHERE baseline = 'v' || $1::int AND ${IN_SCOPE}`, params);
  await tx.query(`DELETE FROM dash_largest_differences WHERE baseline = 'v' || $1::int AND ${SCOPED}`, params);
}

/** The version's partition of a read model, or the default partition while it has none. */
async function versionPartition(tx: SqlClient, table: VersionTable, version: number): Promise<string> {
  const partition = partitionName(table, version);
  const [row] = await tx.query<{ ok: boolean }>("SELECT to_regclass($1) IS NOT NULL AS ok", [`public.${partition}`]);
  return row!.ok ? partition : `${table}_default`;
}

/** The version's own read models, written into `t` (the tables, or a full rebuild's fresh ones). */
async function buildAll(
  tx: SqlClient,
  version: number,
  symbols: string[] | null,
  t: ReadModelTables,
  step: Step,
) {
  await step("alloc_by_sell", () => sumAllocationsBySell(tx, version, symbols));
  await step("sell_pnl", () => buildSellPnl(tx, version, symbols, t));
  // The old system's PnL per symbol is summed from the days, so the days go first.
  await step("daily_pnl", () => buildDailyPnl(tx, version, symbols, t));
  await step("symbol_pnl", () => buildSymbolPnl(tx, version, symbols, t));
  await step("histograms", () => buildHistograms(tx, version, symbols, t));
  await step("largest", () => buildLargest(tx, version, symbols, t));
  await step("discrepancies", () => buildDiscrepancies(tx, version, symbols, t));
}

/**
 * Refreshes `version` when its read models are missing or older than its allocations. While
 * another request of this process rebuilds them, a page that has previous read models reads
 * those instead of waiting; one that has none waits for the rebuild.
 */
export async function ensureReadModels(db: SqlClient, version: number): Promise<RefreshOutcome | "previous"> {
  return (await ensureFresh(db, version)).outcome;
}

/**
 * ensureReadModels, then the stamp the read models are current at, or null when they were not
 * current when checked (rebuilt now, or a rebuild in flight): what cachedReadModel keys on.
 */
export async function ensureReadModelsStamp(db: SqlClient, version: number): Promise<string | null> {
  const { outcome, stamp } = await ensureFresh(db, version);
  return outcome === "up_to_date" ? stamp : null;
}

/** ensureReadModels, then when the read models it leaves were built (null: never). */
export async function ensureReadModelsRefreshedAt(db: SqlClient, version: number): Promise<string | null> {
  const { outcome, refreshedAt } = await ensureFresh(db, version);
  return outcome === "rebuilt" ? readModelsRefreshedAt(db, version) : refreshedAt;
}

/** One statement per page view: both stamps, and when the stored read models were built. */
async function ensureFresh(db: SqlClient, version: number) {
  const [row] = await db.query<{ stored: string | null; stamp: string; refreshed_at: string | null }>(
    `SELECT s.source_stamp AS stored, s.refreshed_at, ${SOURCE_STAMP} AS stamp
     FROM (SELECT 1) one LEFT JOIN dash_refresh_state s ON s.allocation_version = $1`,
    [version],
  );
  const stored = row?.stored ?? null;
  const stamp = row?.stamp ?? "0:0";
  const refreshedAt = row?.refreshed_at ?? null;
  const outcome = async (): Promise<RefreshOutcome | "previous"> => {
    if (stored === stamp) return "up_to_date";
    if (stored === null && stamp === "0:0") return "up_to_date"; // nothing computed for this version: nothing to show
    if (stored !== null && inFlight.get(db)?.has(String(version))) return "previous";
    return refreshReadModels(db, version);
  };
  return { outcome: await outcome(), refreshedAt, stamp };
}

/** When the read models of `version` were built (null: never). */
export async function readModelsRefreshedAt(db: SqlClient, version: number): Promise<string | null> {
  const [row] = await db.query<{ refreshed_at: string }>(
    "SELECT refreshed_at FROM dash_refresh_state WHERE allocation_version = $1",
    [version],
  );
  return row?.refreshed_at ?? null;
}

const VALID_TRADE = `t.status = 'filled' AND t.size > 0 AND t.size <> 'NaN' AND t.price > 0 AND t.price <> 'NaN'`;

/**
 * The version's allocations summed per sell, once: per-sell PnL, per-symbol and per-day figures
 * are all sums of these (exact decimals, so the same totals as summing the allocations).
 */
const ALLOC_BY_SELL = "dash_alloc_by_sell";

async function sumAllocationsBySell(tx: SqlClient, version: number, symbols: string[] | null) {
  await tx.exec(`DROP TABLE IF EXISTS pg_temp.${ALLOC_BY_SELL}`);
  // Grouped by sorting: a sell's allocations lie together (a run writes them so), and a hash of
  // five numeric sums per sell outgrew work_mem and spilled (measured: 1.43 s -> 1.12 s, 650,000 rows).
  await withLocalSettings(tx, { enable_hashagg: "off", enable_sort: "on" }, (t) =>
    t.query(
      `CREATE TEMP TABLE ${ALLOC_BY_SELL} ON COMMIT DROP AS
       SELECT sell_trade_id, symbol, sell_time, count(*)::int AS lots, sum(allocated_size) AS allocated, sum(pnl_usd) AS pnl,
         sum(allocated_size * buy_price) AS cost, sum(allocated_size * sell_price) AS proceeds,
         sum(buy_fee_usd + sell_fee_usd) AS fees
       FROM fifo_allocations WHERE allocation_version = $1 AND ${IN_SCOPE} GROUP BY sell_trade_id, symbol, sell_time`,
      [version, symbols],
    ),
  );
}

async function buildSellPnl(tx: SqlClient, version: number, symbols: string[] | null, t: ReadModelTables) {
  // The sells of the version: those its runs covered (as v_allocation_discrepancies defines them),
  // plus any other sell with allocation or unmatched rows (normally none).
  await tx.query(
    `INSERT INTO ${t.dash_sell_pnl} (allocation_version, sell_trade_id, symbol, sell_time, sell_size, matched_size,
       unmatched_size, lots, new_pnl_usd, old_parent_id, old_pnl_usd, covered, in_snapshot, snapshot_pnl_usd,
       old_difference_usd, snapshot_difference_usd)
     WITH alloc AS (
       SELECT sell_trade_id, lots, allocated, pnl FROM ${ALLOC_BY_SELL}
     ), unmatched AS (
       SELECT sell_trade_id, unmatched_size FROM fifo_unmatched_sells WHERE allocation_version = $1 AND ${IN_SCOPE}
     ), covered AS (
       SELECT t.id, t.symbol, t.order_time, t.size, t.parent_id, t.pnl_usd FROM fifo_inventory_snapshot s
       JOIN trade_records t ON t.symbol = s.symbol AND t.side = 'sell' AND ${VALID_TRADE}
         AND (t.order_time, t.id) <= (s.last_order_time, s.last_trade_id)
       WHERE s.allocation_version = $1 AND ($2::text[] IS NULL OR s.symbol = ANY ($2::text[]))
     ), sells AS (
       SELECT c.*, true AS covered FROM covered c
       UNION ALL
       SELECT t.id, t.symbol, t.order_time, t.size, t.parent_id, t.pnl_usd, false FROM trade_records t
       WHERE t.id IN (SELECT sell_trade_id FROM alloc UNION SELECT sell_trade_id FROM unmatched EXCEPT SELECT id FROM covered)
     )
     SELECT $1::int, t.id, t.symbol, t.order_time, t.size, coalesce(a.allocated, 0), coalesce(u.unmatched_size, 0),
       coalesce(a.lots, 0), coalesce(a.pnl, 0), t.parent_id, t.pnl_usd, t.covered, h.trade_id IS NOT NULL, h.pnl_usd,
       coalesce(a.pnl, 0) - coalesce(t.pnl_usd, 0),
       CASE WHEN h.trade_id IS NOT NULL THEN coalesce(a.pnl, 0) - coalesce(h.pnl_usd, 0) END
     FROM sells t
     LEFT JOIN alloc a ON a.sell_trade_id = t.id
     LEFT JOIN unmatched u ON u.sell_trade_id = t.id
     LEFT JOIN historical_pnl_snapshot_20251120 h ON h.trade_id = t.id`,
    [version, symbols],
  );
}

/**
 * The top LARGEST_KEPT per-sell differences against the old system and the snapshot. Only sells
 * that can be in a symbol's top are ranked: those in the highest histogram buckets (powers of ten
 * of the difference) that together hold at least LARGEST_KEPT sells; every sell below has a
 * smaller difference than all of those. Ranking sorts every candidate, so this cuts the sort to
 * the few highest buckets (measured at 200,000 trades: about a quarter of the sells).
 */
async function buildLargest(tx: SqlClient, version: number, symbols: string[] | null, t: ReadModelTables) {
  await tx.query(
    `INSERT INTO ${t.dash_largest_differences} (allocation_version, baseline, scope, rank, sell_trade_id, symbol, sell_time,
       baseline_usd, target_usd, difference_usd, old_parent_id)
     WITH hist AS (
       SELECT baseline, symbol, abs(bucket) AS bucket, sum(sells) AS sells FROM ${t.dash_diff_histogram}
       WHERE allocation_version = $1 AND baseline IN ('old', 'snapshot') AND ${IN_SCOPE} GROUP BY 1, 2, 3
     ), above AS (
       SELECT baseline, symbol, bucket, sum(sells) OVER (PARTITION BY baseline, symbol ORDER BY bucket DESC) AS sells FROM hist
     ), cut AS (
       -- the smallest |difference| a candidate can have: bucket k >= 1 starts at 0.001 * 10^k
       SELECT baseline, symbol, coalesce(0.001 * power(10::numeric, max(bucket) FILTER (WHERE bucket > 0 AND sells >= ${LARGEST_KEPT})), 0) AS min_abs
       FROM above GROUP BY 1, 2
     ), d AS (
       SELECT 'old' AS baseline, s.sell_trade_id, s.symbol, s.sell_time, s.old_pnl_usd AS base, s.new_pnl_usd,
         s.old_difference_usd AS diff, s.old_parent_id
       FROM ${t.dash_sell_pnl} s JOIN cut c ON c.baseline = 'old' AND c.symbol = s.symbol
       WHERE s.allocation_version = $1 AND ${IN_SCOPE.replaceAll("symbol", "s.symbol")} AND abs(s.old_difference_usd) >= c.min_abs
       UNION ALL
       SELECT 'snapshot', s.sell_trade_id, s.symbol, s.sell_time, s.snapshot_pnl_usd, s.new_pnl_usd, s.snapshot_difference_usd,
         s.old_parent_id
       FROM ${t.dash_sell_pnl} s JOIN cut c ON c.baseline = 'snapshot' AND c.symbol = s.symbol
       WHERE s.allocation_version = $1 AND s.in_snapshot AND ${IN_SCOPE.replaceAll("symbol", "s.symbol")}
         AND abs(s.snapshot_difference_usd) >= c.min_abs
     ), ranked AS (
       SELECT d.*, row_number() OVER (PARTITION BY baseline, symbol ORDER BY abs(diff) DESC, sell_trade_id DESC) AS symbol_rank
       FROM d
     )
     SELECT $1::int, baseline, symbol, symbol_rank, sell_trade_id, symbol, sell_time, base, new_pnl_usd, diff, old_parent_id
     FROM ranked WHERE symbol_rank <= ${LARGEST_KEPT}`,
    [version, symbols],
  );
}

/** Rows over every symbol of the version, once its symbols' rows are built: the overall rankings. */
async function buildOverall(tx: SqlClient, version: number, t: ReadModelTables) {
  await rankOverall(tx, version, ["old", "snapshot"], t.dash_largest_differences);
}

/** The overall ('*') top LARGEST_KEPT of each baseline: the overall top is within the per-symbol tops. */
async function rankOverall(tx: SqlClient, version: number, baselines: string[], table: string) {
  await tx.query(
    `INSERT INTO ${table} (allocation_version, baseline, scope, rank, sell_trade_id, symbol, sell_time,
       baseline_usd, target_usd, difference_usd, old_parent_id)
     SELECT allocation_version, baseline, '*', overall_rank, sell_trade_id, symbol, sell_time, baseline_usd, target_usd,
       difference_usd, old_parent_id
     FROM (
       SELECT d.*, row_number() OVER (PARTITION BY baseline ORDER BY abs(difference_usd) DESC, sell_trade_id DESC) AS overall_rank
       FROM ${table} d
       WHERE allocation_version = $1 AND baseline = ANY ($2::text[]) AND scope <> '*'
     ) o
     WHERE overall_rank <= ${LARGEST_KEPT}`,
    [version, baselines],
  );
}

async function buildSymbolPnl(tx: SqlClient, version: number, symbols: string[] | null, t: ReadModelTables) {
  // v_pnl_by_symbol's figures (tests/db/queries/dashboard-queries.test.ts checks they agree), summed
  // from the per-sell sums and the old system's PnL per day instead of every allocation and trade
  // again; plus unmatched and snapshot figures.
  await tx.query(
    `INSERT INTO ${t.dash_symbol_pnl} (allocation_version, symbol, allocations, sells_matched, sells_partially_matched,
       sells_unmatched, allocated_size, cost_basis_usd, proceeds_usd, fees_usd, realized_pnl_usd, unmatched_sells,
       unmatched_size, unmatched_notional_usd, open_size, old_pnl_usd, pnl_difference_usd, snapshot_pnl_usd,
       snapshot_new_pnl_usd, computation_id)
     WITH a AS (
       SELECT symbol, sum(lots) AS allocations, count(*) AS sells, sum(allocated) AS allocated, sum(cost) AS cost,
         sum(proceeds) AS proceeds, sum(fees) AS fees, sum(pnl) AS pnl
       FROM ${ALLOC_BY_SELL} GROUP BY symbol
     ), um AS (
       SELECT symbol, count(*) AS n, count(*) FILTER (WHERE matched_size > 0) AS partial,
         count(*) FILTER (WHERE matched_size = 0) AS none, sum(unmatched_size) AS size,
         sum(unmatched_size * sell_price) AS notional
       FROM fifo_unmatched_sells WHERE allocation_version = $1 AND ${IN_SCOPE} GROUP BY symbol
     ), o AS (
       SELECT symbol, sum(old_pnl_usd) AS old_pnl FROM ${t.dash_daily_pnl} WHERE allocation_version = $1 AND ${IN_SCOPE} GROUP BY symbol
     ), snap AS (
       SELECT symbol, coalesce(sum(snapshot_pnl_usd), 0) AS snapshot_pnl, sum(new_pnl_usd) AS new_pnl
       FROM ${t.dash_sell_pnl} WHERE allocation_version = $1 AND in_snapshot AND ${IN_SCOPE} GROUP BY symbol
     )
     SELECT s.allocation_version, s.symbol, coalesce(a.allocations, 0), coalesce(a.sells, 0), coalesce(um.partial, 0),
       coalesce(um.none, 0), coalesce(a.allocated, 0), coalesce(a.cost, 0), coalesce(a.proceeds, 0), coalesce(a.fees, 0),
       coalesce(a.pnl, 0), coalesce(um.n, 0), coalesce(um.size, 0), coalesce(um.notional, 0), s.open_size,
       coalesce(o.old_pnl, 0), coalesce(a.pnl, 0) - coalesce(o.old_pnl, 0),
       coalesce(snap.snapshot_pnl, 0), coalesce(snap.new_pnl, 0), s.computation_id
     FROM fifo_inventory_snapshot s
     LEFT JOIN a ON a.symbol = s.symbol
     LEFT JOIN um ON um.symbol = s.symbol
     LEFT JOIN o ON o.symbol = s.symbol
     LEFT JOIN snap ON snap.symbol = s.symbol
     WHERE s.allocation_version = $1 AND ($2::text[] IS NULL OR s.symbol = ANY ($2::text[]))`,
    [version, symbols],
  );
}

async function buildDailyPnl(tx: SqlClient, version: number, symbols: string[] | null, t: ReadModelTables) {
  await tx.query(
    `INSERT INTO ${t.dash_daily_pnl} (allocation_version, symbol, day, new_pnl_usd, old_pnl_usd, snapshot_pnl_usd, snapshot_new_pnl_usd)
     WITH syms AS (SELECT symbol FROM fifo_inventory_snapshot WHERE allocation_version = $1 AND ${IN_SCOPE}),
     n AS (
       SELECT symbol, (sell_time AT TIME ZONE 'UTC')::date AS day, sum(pnl) AS new_pnl FROM ${ALLOC_BY_SELL} GROUP BY 1, 2
     ), o AS (
       SELECT t.symbol, (t.order_time AT TIME ZONE 'UTC')::date AS day, sum(t.pnl_usd) AS old_pnl
       FROM trade_records t JOIN syms ON syms.symbol = t.symbol
       WHERE t.side = 'sell' AND t.pnl_usd IS NOT NULL GROUP BY 1, 2
     ), h AS (
       SELECT symbol, (sell_time AT TIME ZONE 'UTC')::date AS day, coalesce(sum(snapshot_pnl_usd), 0) AS snapshot_pnl,
         sum(new_pnl_usd) AS snapshot_new_pnl
       FROM ${t.dash_sell_pnl} WHERE allocation_version = $1 AND in_snapshot AND ${IN_SCOPE} GROUP BY 1, 2
     )
     SELECT $1::int, symbol, day, coalesce(n.new_pnl, 0), coalesce(o.old_pnl, 0), coalesce(h.snapshot_pnl, 0),
       coalesce(h.snapshot_new_pnl, 0)
     FROM n FULL JOIN o USING (symbol, day) FULL JOIN h USING (symbol, day)`,
    [version, symbols],
  );
}

async function buildHistograms(tx: SqlClient, version: number, symbols: string[] | null, t: ReadModelTables) {
  await tx.query(
    `INSERT INTO ${t.dash_diff_histogram} (allocation_version, baseline, symbol, bucket, sells, difference_usd)
     SELECT $1::int, 'old', symbol, ${bucketSql("old_difference_usd")}, count(*), sum(old_difference_usd)
     FROM ${t.dash_sell_pnl} WHERE allocation_version = $1 AND ${IN_SCOPE} GROUP BY 1, 2, 3, 4
     UNION ALL
     SELECT $1::int, 'snapshot', symbol, ${bucketSql("snapshot_difference_usd")}, count(*), sum(snapshot_difference_usd)
     FROM ${t.dash_sell_pnl} WHERE allocation_version = $1 AND in_snapshot AND ${IN_SCOPE} GROUP BY 1, 2, 3, 4`,
    [version, symbols],
  );
}

/** Version vs version: the sells whose PnL differs, and the histogram of all their sells. */
async function buildVersionDiff(tx: SqlClient, a: number, b: number, symbols: string[] | null) {
  const hi = Math.max(a, b);
  const lo = Math.min(a, b);
  await tx.query(
    `INSERT INTO dash_version_sell_diff (version_hi, version_lo, sell_trade_id, symbol, sell_time, pnl_hi_usd, pnl_lo_usd, difference_usd)
     SELECT $1::int, $3, coalesce(h.sell_trade_id, l.sell_trade_id), coalesce(h.symbol, l.symbol), coalesce(h.sell_time, l.sell_time),
       h.new_pnl_usd, l.new_pnl_usd, coalesce(h.new_pnl_usd, 0) - coalesce(l.new_pnl_usd, 0)
     FROM (SELECT * FROM dash_sell_pnl WHERE allocation_version = $1 AND ${IN_SCOPE}) h
     FULL JOIN (SELECT * FROM dash_sell_pnl WHERE allocation_version = $3 AND ${IN_SCOPE}) l ON l.sell_trade_id = h.sell_trade_id
     WHERE h.sell_trade_id IS NULL OR l.sell_trade_id IS NULL OR h.new_pnl_usd <> l.new_pnl_usd`,
    [hi, symbols, lo],
  );
  // Largest differences of the pair, stored as (hi, 'v' || lo): difference = hi - lo.
  await tx.query(
    `INSERT INTO dash_largest_differences (allocation_version, baseline, scope, rank, sell_trade_id, symbol, sell_time,
       baseline_usd, target_usd, difference_usd, old_parent_id)
     WITH ranked AS (
       SELECT d.*, row_number() OVER (PARTITION BY symbol ORDER BY abs(difference_usd) DESC, sell_trade_id DESC) AS symbol_rank
       FROM dash_version_sell_diff d WHERE version_hi = $1 AND version_lo = $3 AND ${IN_SCOPE}
     )
     SELECT $1::int, 'v' || $3::int, symbol, symbol_rank, sell_trade_id, symbol, sell_time, pnl_lo_usd, pnl_hi_usd, difference_usd, NULL::bigint
     FROM ranked WHERE symbol_rank <= ${LARGEST_KEPT}`,
    [hi, symbols, lo],
  );
  await tx.query(`DELETE FROM dash_largest_differences WHERE allocation_version = $1 AND baseline = 'v' || $2::int AND scope = '*'`, [hi, lo]);
  await rankOverall(tx, hi, [`v${lo}`], "dash_largest_differences");
  // Unchanged sells all fall in bucket 0: count them from the per-symbol totals, not row by row.
  await tx.query(
    `INSERT INTO dash_diff_histogram (allocation_version, baseline, symbol, bucket, sells, difference_usd)
     WITH changed AS (
       SELECT symbol, ${bucketSql("difference_usd")} AS bucket, count(*) AS sells, sum(difference_usd) AS diff
       FROM dash_version_sell_diff WHERE version_hi = $1 AND version_lo = $3 AND ${IN_SCOPE} GROUP BY 1, 2
     ), totals AS (
       SELECT symbol, count(*) AS sells FROM dash_sell_pnl h
       WHERE allocation_version = $1 AND ${IN_SCOPE}
         AND EXISTS (SELECT 1 FROM dash_sell_pnl l WHERE l.allocation_version = $3 AND l.sell_trade_id = h.sell_trade_id)
       GROUP BY symbol
     ), unchanged AS (
       SELECT t.symbol, t.sells - coalesce((SELECT count(*) FROM dash_version_sell_diff d
         WHERE d.version_hi = $1 AND d.version_lo = $3 AND d.symbol = t.symbol
           AND d.pnl_hi_usd IS NOT NULL AND d.pnl_lo_usd IS NOT NULL), 0) AS sells
       FROM totals t
     ), merged AS (
       SELECT symbol, bucket, sells, diff FROM changed
       UNION ALL SELECT symbol, 0::smallint, sells, 0 FROM unchanged WHERE sells > 0
     )
     SELECT $1::int, 'v' || $3::int, symbol, bucket, sum(sells), sum(diff) FROM merged GROUP BY symbol, bucket`,
    [hi, symbols, lo],
  );
}

async function buildDiscrepancies(tx: SqlClient, version: number, symbols: string[] | null, t: ReadModelTables) {
  // Set-based for one version (the view runs correlated subqueries per sell); the per-sell totals
  // come from dash_sell_pnl (covered sells).
  // tests/db/queries/dashboard-queries.test.ts checks that both agree.
  await tx.query(
    `INSERT INTO ${t.dash_discrepancies} (allocation_version, discrepancy_type, symbol, trade_id, related_trade_id,
       expected, actual, difference, abs_difference, details, trade_time, cause)
     WITH sell_totals AS (
       SELECT sell_trade_id AS id, symbol, sell_size AS size, old_pnl_usd, sell_time AS order_time,
         matched_size AS allocated, new_pnl_usd, unmatched_size AS unmatched
       FROM ${t.dash_sell_pnl} WHERE allocation_version = $1 AND covered AND ${IN_SCOPE}
     ), allocation_buys AS MATERIALIZED (
       -- every allocation beside its buy, joined once for both buy checks
       SELECT a.symbol, a.sell_trade_id, a.buy_trade_id, a.allocated_size, b.size AS buy_size, b.order_time AS buy_time
       FROM fifo_allocations a JOIN fifo_trades b ON b.id = a.buy_trade_id
       WHERE a.allocation_version = $1 AND ($2::text[] IS NULL OR a.symbol = ANY ($2::text[]))
     ), buy_totals AS (
       SELECT buy_trade_id, symbol, sum(allocated_size) AS allocated, min(buy_size) AS buy_size, min(buy_time) AS buy_time
       FROM allocation_buys GROUP BY buy_trade_id, symbol
     ), ${discrepancyFindingsCte({
       allocationBuys: "allocation_buys",
       sells: `(SELECT sell_trade_id, sell_time FROM ${t.dash_sell_pnl} WHERE allocation_version = $1)`,
     })}
     ${FOUND_WITH_CAUSE}`,
    [version, symbols],
  );
  await tx.query(
    `INSERT INTO ${t.dash_discrepancy_counts} (allocation_version, symbol, discrepancy_type, discrepancies)
     SELECT $1::int, symbol, discrepancy_type, count(*) FROM ${t.dash_discrepancies}
     WHERE allocation_version = $1 AND ${IN_SCOPE} GROUP BY 2, 3`,
    [version, symbols],
  );
}

/**
 * The dash_discrepancies rows of the `found` CTE below, each PnL difference with the cause the
 * run's review sync stored for it (what the Discrepancies page shows and filters by).
 */
export const FOUND_WITH_CAUSE = `SELECT $1::int, f.discrepancy_type, f.symbol, f.trade_id, f.related_trade_id, f.expected, f.actual,
       f.difference, abs(f.difference), f.details, f.order_time, c.cause
     FROM found f
     LEFT JOIN fifo_pnl_differences c ON f.discrepancy_type = 'pnl_difference' AND c.allocation_version = $1
       AND c.sell_trade_id = f.trade_id`;

/**
 * The `found` CTE of the discrepancy read model: the four branches of v_allocation_discrepancies
 * over the CTEs before it: `sell_totals`, `buy_totals` (per buy: allocated, buy_size, buy_time) and
 * the allocations beside their buy's time in `allocationBuys` (a full rebuild reads the version's
 * rows, an incremental update only the run's new ones), with their sells' times from `sells`
 * (dash_sell_pnl rows: every sell with allocations, its time as in trade_records; far fewer rows
 * to join than trade_records).
 */
export function discrepancyFindingsCte(allocations: { allocationBuys: string; sells: string }): string {
  return `found AS (
       SELECT 'sell_size_mismatch'::text AS discrepancy_type, symbol, id AS trade_id, NULL::bigint AS related_trade_id,
         size AS expected, allocated + unmatched AS actual, allocated + unmatched - size AS difference,
         'allocated ' || allocated || ' + unmatched ' || unmatched || ' <> sell size ' || size AS details, order_time
       FROM sell_totals WHERE allocated + unmatched <> size
       UNION ALL
       SELECT 'buy_overallocated', b.symbol, b.buy_trade_id, NULL, b.buy_size, b.allocated, b.allocated - b.buy_size,
         'allocated ' || b.allocated || ' > buy size ' || b.buy_size, b.buy_time
       FROM buy_totals b
       WHERE b.allocated > b.buy_size
       UNION ALL
       SELECT 'buy_not_before_sell', a.symbol, a.sell_trade_id, a.buy_trade_id, NULL, NULL, NULL,
         'buy ' || a.buy_trade_id || ' at ' || a.buy_time || ' does not come before sell ' || a.sell_trade_id || ' at ' || s.sell_time,
         s.sell_time
       FROM ${allocations.allocationBuys} a
       JOIN ${allocations.sells} s ON s.sell_trade_id = a.sell_trade_id
       WHERE (a.buy_time, a.buy_trade_id) >= (s.sell_time, s.sell_trade_id)
       UNION ALL
       SELECT 'pnl_difference', symbol, id, NULL, old_pnl_usd, new_pnl_usd, new_pnl_usd - old_pnl_usd,
         'old pnl_usd ' || old_pnl_usd || ', new ' || new_pnl_usd, order_time
       FROM sell_totals
       WHERE old_pnl_usd IS NOT NULL AND abs(new_pnl_usd - old_pnl_usd) > coalesce(
         (SELECT value::numeric FROM fifo_settings WHERE key = 'pnl_discrepancy_threshold_usd'), 0)
     )`;
}
