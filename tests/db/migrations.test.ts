// The seed document's migration workflow, end to end through the CLI: migrate, migrate again,
// rollback refused without YES, rollback with YES, migrate again; trade_records never changes.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { SqlClient } from "@/db/sql-client";
import { runScript } from "../helpers/cli";
import { createCliDatabase, type CliDatabase } from "../helpers/cli-database";

let target: CliDatabase;

const FIFO_OBJECTS = `SELECT tablename AS name FROM pg_tables WHERE schemaname='public' AND tablename LIKE 'fifo%'
  UNION ALL SELECT viewname FROM pg_views WHERE schemaname='public' AND viewname LIKE 'v_%'
  UNION ALL SELECT tablename FROM pg_tables WHERE schemaname='public' AND tablename = 'manual_review_queue'`;

async function objects(db: SqlClient): Promise<string[]> {
  return (await db.query<{ name: string }>(FIFO_OBJECTS)).map((r) => r.name).sort();
}

async function tradeChecksum(db: SqlClient): Promise<string> {
  const [row] = await db.query<{ sum: string }>(
    "SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY id), '')) AS sum FROM trade_records t",
  );
  return row!.sum;
}

// A bot database that predates us: its own trade_records, without the columns we add.
async function createBotTable(db: SqlClient) {
  await db.exec(`
    CREATE TABLE trade_records (
      id bigserial PRIMARY KEY, symbol text NOT NULL, side text NOT NULL, size numeric NOT NULL,
      price numeric NOT NULL, order_time timestamptz NOT NULL, parent_id bigint, pnl_usd numeric,
      remaining_size numeric);
    INSERT INTO trade_records (symbol, side, size, price, order_time, parent_id, pnl_usd, remaining_size) VALUES
      ('BTC-USD', 'buy',  '1.5', '30000', '2024-01-01T00:00:00Z', NULL, NULL, '0.5'),
      ('BTC-USD', 'sell', '1.0', '31000.12', '2024-01-02T00:00:00Z', 1, '1000.12', NULL),
      ('ETH-USD', 'buy',  '2', '2000', '2024-01-03T00:00:00Z', NULL, NULL, '2'),
      ('ETH-USD', 'sell', '1', '1900', '2024-01-04T00:00:00Z', NULL, NULL, NULL),
      ('ETH-USD', 'sell', '0.25', '2100', '2024-01-05T00:00:00Z', 3, '24.99999999', NULL);
  `);
}

beforeAll(async () => {
  target = await createCliDatabase();
  await target.use(createBotTable);
});
afterAll(() => target.drop());

describe("migrate / rollback through the CLI", () => {
  let checksumBefore: string;

  test("migrate on an existing bot database creates every object and keeps the bot's rows", async () => {
    const before = await target.use(async (db) => {
      const [count] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM trade_records");
      return count!.n;
    });
    const result = await runScript("db-migrate.ts", [], { env: target.env });
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("✅ fifo_allocations table created");
    expect(result.stdout).toContain("✅ v_allocation_discrepancies view created");
    expect(result.stdout).toContain("Rows preserved: 2");
    expect(result.stdout).toContain("FIFO ALLOCATIONS MIGRATION COMPLETE");
    await target.use(async (db) => {
      expect(await objects(db)).toEqual([
        // fifo_allocations is partitioned by version (0009): its default partition is listed too.
        "fifo_allocations", "fifo_allocations_default", "fifo_computation_log", "fifo_inventory_snapshot", "fifo_settings",
        "fifo_unmatched_sells", "manual_review_queue", "v_allocation_discrepancies", "v_allocation_health",
        "v_pnl_by_symbol", "v_unmatched_sells",
      ]);
      const [count] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM trade_records");
      expect(count!.n).toBe(before);
      // The columns the engine relies on were added with their defaults.
      const [first] = await db.query<{ fee_usd: string; status: string; source: string }>(
        "SELECT fee_usd, status, source FROM trade_records WHERE id = 1",
      );
      expect(first).toEqual({ fee_usd: "0", status: "filled", source: "bot" });
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
    ]);
  });

  test("migrating again changes nothing and says so", async () => {
    const result = await runScript("db-migrate.ts", [], { env: target.env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("fifo_allocations table already exists");
    expect(result.stdout).toContain("Nothing to apply");
    expect(await target.use(tradeChecksum)).toBe(checksumBefore);
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
      expect(old).toEqual({ system: "old", sum: "1025.11999999" });
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
      expect(await objects(db)).toEqual([]);
      expect(await tradeChecksum(db)).toBe(checksumBefore);
      const [snap] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM historical_pnl_snapshot_20251120");
      expect(snap!.n).toBe(2);
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
    expect(result.stdout).toContain("Rows preserved: 2");
    await target.use(async (db) => {
      expect(await objects(db)).toHaveLength(11);
      const [settings] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM fifo_settings");
      expect(settings!.n).toBeGreaterThan(0);
    });
  });
});
