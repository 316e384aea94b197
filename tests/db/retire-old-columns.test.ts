// Seed step 6 through the CLI on a bot-shaped trade_records: the snapshot is completed, nothing
// changes without YES, the old columns read NULL afterwards while the bot keeps writing, runs
// still work, and --undo gives back trade_records byte-identical (rows and catalog).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { migrate } from "@/db/migrations";
import { retireOldColumns, undoRetirement } from "@/db/retire-old-columns";
import { computeAllocations } from "@/lib/compute/run-computation";
import { runScript } from "../helpers/cli";
import { createCliDatabase, type CliDatabase } from "../helpers/cli-database";
import { BOT_TRADE_RECORDS_SQL, type TradeRecordsState, tradeRecordsState } from "../helpers/trade-records-state";

let target: CliDatabase;
let original: TradeRecordsState;

beforeAll(async () => {
  target = await createCliDatabase();
  original = await target.use(async (db) => {
    await db.exec(BOT_TRADE_RECORDS_SQL);
    await migrate(db);
    await computeAllocations(db, { version: 1, symbols: null, mode: "full", startedBy: "test" });
    return tradeRecordsState(db);
  });
});
afterAll(() => target.drop());

describe("npm run db:retire-old-columns", () => {
  test("shows what changes, and any answer but YES changes nothing", async () => {
    const result = await runScript("db-retire-old-columns.ts", [], { env: target.env, stdin: "yes\n" });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("Historical snapshot historical_pnl_snapshot_20251120: 3 rows.");
    expect(result.stdout).toContain("2 trade(s) carry an old value it lacks: they are copied into it first.");
    expect(result.stdout).toContain("trade_records (6 rows) is renamed trade_records_base; no row is rewritten.");
    expect(result.stdout).toContain("Retirement aborted: nothing was changed.");
    expect(await target.use((db) => tradeRecordsState(db))).toEqual(original);
  });

  test("YES: the snapshot gets the missing old values, trade_records reads NULL for them, rows are not rewritten", async () => {
    const result = await runScript("db-retire-old-columns.ts", [], { env: target.env, stdin: "YES\n" });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("✅ Copied 2 trade(s) into historical_pnl_snapshot_20251120.");
    await target.use(async (db) => {
      const snapshot = await db.query("SELECT trade_id, parent_id, pnl_usd, remaining_size FROM historical_pnl_snapshot_20251120 ORDER BY trade_id");
      expect(snapshot).toEqual([
        { trade_id: 1, parent_id: null, pnl_usd: null, remaining_size: "0.5" },
        { trade_id: 2, parent_id: 1, pnl_usd: "1000.12", remaining_size: null },
        { trade_id: 3, parent_id: null, pnl_usd: null, remaining_size: "2" },
        { trade_id: 5, parent_id: 3, pnl_usd: "24.99999999", remaining_size: null },
        { trade_id: 6, parent_id: 3, pnl_usd: "-3.5", remaining_size: null },
      ]);
      const [old] = await db.query<{ sum: string | null; n: number }>(
        "SELECT SUM(pnl_usd) AS sum, count(parent_id)::int AS n FROM trade_records WHERE side='sell'",
      );
      expect(old).toEqual({ sum: null, n: 0 });
      expect((await tradeRecordsState(db, "trade_records_base")).rows).toBe(original.rows);
      // Runs and the seed's monitoring views keep working.
      expect((await computeAllocations(db, { version: 1, symbols: null, mode: "full", startedBy: "test" })).status).toBe("succeeded");
      await db.query("SELECT * FROM v_allocation_health ORDER BY allocation_version DESC LIMIT 1");
      await db.query("SELECT * FROM v_unmatched_sells");
      await db.query("SELECT * FROM v_allocation_discrepancies");
    });
    const again = await runScript("db-retire-old-columns.ts", ["--yes"], { env: target.env });
    expect(again.stdout).toContain("already retired");
  });

  test("--undo restores trade_records byte-identical: rows, columns, indexes, constraints, comment", async () => {
    const refused = await runScript("db-retire-old-columns.ts", ["--undo"], { env: target.env, stdin: "no\n" });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain("Undo aborted: nothing was changed.");
    const result = await runScript("db-retire-old-columns.ts", ["--undo"], { env: target.env, stdin: "YES\n" });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("✅ trade_records restored");
    expect(await target.use((db) => tradeRecordsState(db))).toEqual(original);
  });

  test("while retired the bot keeps writing: insert, update, delete go to the table; its old values land in legacy_ columns", async () => {
    await target.use(async (db) => {
      await retireOldColumns(db);
      const [inserted] = await db.query<{ id: number; parent_id: number | null }>(
        `INSERT INTO trade_records (symbol, side, size, price, order_time, parent_id, pnl_usd, exchange_order_ref)
         VALUES ('BTC-USD', 'sell', '0.5', '32000', '2024-02-01T00:00:00Z', 1, '999', 'cb-7') RETURNING id, parent_id`,
      );
      expect(inserted).toEqual({ id: 7, parent_id: 1 });
      await db.query("UPDATE trade_records SET status = 'filled', remaining_size = remaining_size - 1 WHERE id = 1");
      await db.query("UPDATE trade_records SET remaining_size = '0.25' WHERE id = 3");
      await db.query("DELETE FROM trade_records WHERE id = 4");
      const base = await db.query(
        "SELECT id, legacy_parent_id, legacy_pnl_usd, legacy_remaining_size, exchange_order_ref FROM trade_records_base WHERE id IN (1, 3, 4, 7) ORDER BY id",
      );
      expect(base).toEqual([
        { id: 1, legacy_parent_id: null, legacy_pnl_usd: null, legacy_remaining_size: "0.5", exchange_order_ref: "cb-1" },
        { id: 3, legacy_parent_id: null, legacy_pnl_usd: null, legacy_remaining_size: "0.25", exchange_order_ref: "cb-3" },
        { id: 7, legacy_parent_id: 1, legacy_pnl_usd: "999", legacy_remaining_size: null, exchange_order_ref: "cb-7" },
      ]);
      const [read] = await db.query("SELECT parent_id, pnl_usd, fee_usd, status FROM trade_records WHERE id = 7");
      expect(read).toEqual({ parent_id: null, pnl_usd: null, fee_usd: "0", status: "filled" });
      await undoRetirement(db);
      const [back] = await db.query("SELECT parent_id, pnl_usd FROM trade_records WHERE id = 7");
      expect(back).toEqual({ parent_id: 1, pnl_usd: "999" });
    });
  });
});
