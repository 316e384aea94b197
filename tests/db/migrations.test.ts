// The seed document's migration workflow, end to end through the CLI: migrate, migrate again,
// rollback refused without YES, rollback with YES, migrate again; trade_records never changes.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { SqlClient } from "@/db/sql-client";
import { runScript } from "../helpers/cli";
import { createCliDatabase, type CliDatabase } from "../helpers/cli-database";
import { BOT_TRADE_RECORDS_SQL, type TradeRecordsState, tradeRecordsState } from "../helpers/trade-records-state";

/** What a migrated database lists (objects() below), sorted. */
const MIGRATED_OBJECTS = [
  "fifo_allocations",
  "fifo_allocations_default",
  "fifo_cause_decisions",
  "fifo_cause_totals",
  "fifo_computation_log",
  "fifo_cutovers",
  "fifo_inventory_month_end",
  "fifo_inventory_snapshot",
  "fifo_manual_trades",
  "fifo_pnl_differences",
  "fifo_pnl_differences_default",
  "fifo_settings",
  "fifo_trade_indexes",
  "fifo_unmatched_sells",
  "fifo_validation_results",
  "fifo_version_follow",
  "fifo_version_methods",
  "manual_review_queue",
  "v_allocation_discrepancies",
  "v_allocation_health",
  "v_pnl_by_symbol",
  "v_pnl_by_symbol_current",
  "v_pnl_drift_daily",
  "v_pnl_drift_sells",
  "v_unmatched_sells",
];

let target: CliDatabase;

const FIFO_OBJECTS = `SELECT tablename AS name FROM pg_tables WHERE schemaname='public' AND tablename LIKE 'fifo%'
  UNION ALL SELECT viewname FROM pg_views WHERE schemaname='public' AND viewname LIKE 'v_%'
  UNION ALL SELECT tablename FROM pg_tables WHERE schemaname='public' AND tablename = 'manual_review_queue'`;

async function objects(db: SqlClient): Promise<string[]> {
  return (await db.query<{ name: string }>(FIFO_OBJECTS)).map((r) => r.name).sort();
}

async function tradeChecksum(db: SqlClient): Promise<TradeRecordsState> {
  return tradeRecordsState(db);
}

// A bot database that predates us: its own trade_records, with a column and an index of its own.
async function createBotTable(db: SqlClient) {
  await db.exec(BOT_TRADE_RECORDS_SQL);
}

beforeAll(async () => {
  target = await createCliDatabase();
  await target.use(createBotTable);
});
afterAll(() => target.drop());

describe("migrate / rollback through the CLI", () => {
  let checksumBefore: TradeRecordsState;

  test("migrate on an existing bot database creates every object and leaves trade_records byte-identical", async () => {
    const untouched = await target.use(tradeChecksum);
    const result = await runScript("db-migrate.ts", [], { env: target.env });
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("✅ fifo_allocations table created");
    expect(result.stdout).toContain("✅ v_allocation_discrepancies view created");
    expect(result.stdout).toContain("Rows preserved: 3");
    expect(result.stdout).toContain("FIFO ALLOCATIONS MIGRATION COMPLETE");
    expect(result.stdout).toContain("trade_records: the bot's table, left exactly as it was");
    expect(result.stdout).toMatch(/Not created on the bot's table: .*trade_records_symbol_time_id_idx.*--with-trade-indexes/);
    await target.use(async (db) => {
      expect(await objects(db)).toEqual([
        ...MIGRATED_OBJECTS,
      ]);
      // No column added (not even source), no index, no comment, no row changed.
      expect(await tradeChecksum(db)).toEqual(untouched);
      checksumBefore = await tradeChecksum(db);
    });
  });

  test("the snapshot holds exactly the sells that had a parent_id, with their old values", async () => {
    const rows = await target.use((db) =>
      db.query("SELECT trade_id, symbol, parent_id, pnl_usd FROM historical_pnl_snapshot_20251120 ORDER BY trade_id"),
    );
    expect(rows).toEqual([
      { trade_id: 2, symbol: "BTC-USD", parent_id: 1, pnl_usd: "1000.12" },
      { trade_id: 5, symbol: "ETH-USD", parent_id: 3, pnl_usd: "24.99999999" },
      { trade_id: 6, symbol: "ETH-USD", parent_id: 3, pnl_usd: "-3.5" },
    ]);
  });

  test("migrating again changes nothing and says so", async () => {
    const result = await runScript("db-migrate.ts", [], { env: target.env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("fifo_allocations table already exists");
    expect(result.stdout).toContain("Nothing to apply");
    expect(await target.use(tradeChecksum)).toEqual(checksumBefore);
  });

  test("the seed's monitoring queries run unchanged", async () => {
    await target.use(async (db) => {
      const queries = [
        "SELECT tablename FROM pg_tables WHERE schemaname='public' AND tablename LIKE 'fifo%'",
        "SELECT viewname FROM pg_views WHERE schemaname='public' AND viewname LIKE 'v_%'",
        "SELECT allocation_version, COUNT(*) FROM fifo_allocations GROUP BY allocation_version",
        "SELECT * FROM v_allocation_health ORDER BY allocation_version DESC LIMIT 1",
        "SELECT 'old' as system, SUM(pnl_usd) FROM trade_records WHERE side='sell'",
        "SELECT 'new' as system, SUM(pnl_usd) FROM fifo_allocations WHERE allocation_version=1",
        "SELECT * FROM v_unmatched_sells",
        "SELECT * FROM v_allocation_discrepancies",
      ];
      for (const q of queries) await db.query(q);
      const [old] = await db.query<{ system: string; sum: string }>(queries[4]!);
      expect(old).toEqual({ system: "old", sum: "1021.61999999" });
    });
  });

  for (const answer of ["", "no", "yes", "Yes", "YES please"]) {
    test(`rollback is refused for the answer ${JSON.stringify(answer)}`, async () => {
      const result = await runScript("db-rollback.ts", [], { env: target.env, stdin: `${answer}\n` });
      expect(result.code).toBe(1);
      expect(result.stdout).toContain("Rollback aborted: nothing was changed.");
      expect(await target.use(objects)).toContain("fifo_allocations");
    });
  }

  test("rollback with YES drops our objects, keeps trade_records and the snapshot", async () => {
    const result = await runScript("db-rollback.ts", [], { env: target.env, stdin: "YES\n" });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Rollback complete");
    await target.use(async (db) => {
      expect(await objects(db)).toEqual(["fifo_manual_trades"]);
      expect(await tradeChecksum(db)).toEqual(checksumBefore);
      const [snap] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM historical_pnl_snapshot_20251120");
      expect(snap!.n).toBe(3);
    });
  });

  test("--yes skips the prompt for scripts; rolling back twice is harmless", async () => {
    const result = await runScript("db-rollback.ts", ["--yes"], { env: target.env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Nothing to drop");
  });

  test("migrating after a rollback works and keeps the original snapshot", async () => {
    await target.use((db) =>
      db.query("INSERT INTO trade_records (symbol, side, size, price, order_time, parent_id, pnl_usd) VALUES ('BTC-USD','sell','0.1','1','2024-02-01Z',1,'-5')"),
    );
    const result = await runScript("db-migrate.ts", [], { env: target.env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("✅ fifo_allocations table created");
    expect(result.stdout).toContain("Historical snapshot kept");
    expect(result.stdout).toContain("Rows preserved: 3");
    expect(result.stdout).toContain("✅ fifo_manual_trades table already exists (kept)");
    await target.use(async (db) => {
      expect(await objects(db)).toHaveLength(MIGRATED_OBJECTS.length);
      const [settings] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM fifo_settings");
      expect(settings!.n).toBeGreaterThan(0);
    });
  });

  test("--with-trade-indexes creates our indexes on the bot's table and prints them; rollback drops exactly those", async () => {
    const before = await target.use(tradeChecksum);
    const result = await runScript("db-migrate.ts", ["--with-trade-indexes"], { env: target.env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("✅ index trade_records_symbol_time_id_idx created on trade_records (--with-trade-indexes; rollback drops it)");
    expect(result.stdout).not.toContain("Not created on the bot's table");
    expect((await target.use(tradeChecksum)).indexes).toContain("trade_records_symbol_time_id_idx");
    const rollback = await runScript("db-rollback.ts", ["--yes"], { env: target.env });
    expect(rollback.code).toBe(0);
    expect(await target.use(tradeChecksum)).toEqual(before);
  });
});
