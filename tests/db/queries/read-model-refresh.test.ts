// Read-model rebuilds: one rebuild when many viewers arrive after a run (issue 10, item 3), and an
// incremental run's rebuild of only the symbols it touched gives exactly what a full rebuild gives.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { discrepanciesPageData } from "@/db/queries/dashboard-pages";
import { VERSION_TABLES } from "@/db/read-model-partitions";
import { ensureReadModels, refreshReadModels } from "@/db/read-models";
import type { SqlClient } from "@/db/sql-client";
import { computeAllocations } from "@/lib/compute/run-computation";
import { createTestDatabase, usingRealServer, type TestDatabase } from "../../helpers/database";
import { insertSyntheticTrades, insertTrades } from "../../helpers/trades";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await insertSyntheticTrades(t.db, 600, 3);
});
afterAll(() => t.drop());

const run = (mode: "full" | "incremental") => computeAllocations(t.db, { version: 1, symbols: null, mode, startedBy: "test" });

const DASH_TABLES: Record<string, string> = {
  dash_sell_pnl: "sell_trade_id",
  dash_symbol_pnl: "symbol",
  dash_daily_pnl: "symbol, day",
  dash_diff_histogram: "baseline, symbol, bucket",
  dash_largest_differences: "baseline, scope, rank",
  dash_discrepancies: "discrepancy_type, trade_id, related_trade_id",
  dash_discrepancy_counts: "symbol, discrepancy_type",
};

/** Every dash_* row of version 1, without the columns that name a run or a serial id. */
async function readModels(db: SqlClient) {
  const out: Record<string, unknown[]> = {};
  for (const [table, order] of Object.entries(DASH_TABLES)) {
    const rows = await db.query<Record<string, unknown>>(`SELECT * FROM ${table} WHERE allocation_version = 1 ORDER BY ${order}`);
    out[table] = rows.map(({ id: _id, computation_id: _run, ...rest }) => rest);
  }
  return out;
}

const markStale = () => t.db.query("UPDATE dash_refresh_state SET source_stamp = 'stale' WHERE allocation_version = 1");

describe("rebuild storms", () => {
  test("many viewers arriving after a run trigger one rebuild; the others read the previous state or find it fresh", async () => {
    expect((await run("full")).status).toBe("succeeded");
    await markStale();
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => ensureReadModels(t.db, 1)));
    expect(outcomes.filter((o) => o === "rebuilt")).toHaveLength(1);
    expect(outcomes.every((o) => o === "rebuilt" || o === "previous" || o === "up_to_date")).toBe(true);
    expect(await ensureReadModels(t.db, 1)).toBe("up_to_date");
  });

  test("a viewer with no previous read models waits for the rebuild instead of reading nothing", async () => {
    await t.db.query("DELETE FROM dash_refresh_state WHERE allocation_version = 1");
    const outcomes = await Promise.all(Array.from({ length: 3 }, () => ensureReadModels(t.db, 1)));
    expect(outcomes).toEqual(["rebuilt", "rebuilt", "rebuilt"]); // one shared rebuild, awaited by all
    const [state] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM dash_refresh_state WHERE allocation_version = 1");
    expect(state!.n).toBe(1);
  });

  test.runIf(usingRealServer)("two server processes: the one that waited for the lock re-checks and does not rebuild again", async () => {
    const [a, b] = [t.connect(), t.connect()];
    await markStale();
    const outcomes = await Promise.all([refreshReadModels(a, 1), refreshReadModels(b, 1)]);
    expect(outcomes.sort()).toEqual(["rebuilt", "up_to_date"]);
  });
});

describe("an incremental run updates only what it touched", () => {
  const steps = async () =>
    (await t.db.query<{ steps: Record<string, number> }>("SELECT steps FROM dash_refresh_state WHERE allocation_version = 1"))[0]!.steps;

  const expectSameAsFullRebuild = async () => {
    const incremental = await readModels(t.db);
    expect(await refreshReadModels(t.db, 1, { force: true })).toBe("rebuilt");
    expect(await readModels(t.db)).toEqual(incremental);
  };

  test("new trades on one symbol: that symbol's new sells are added, equal to a full rebuild", async () => {
    expect((await run("full")).status).toBe("succeeded");
    await insertTrades(t.db, [
      { symbol: "SYM01-USD", side: "buy", size: "3", price: "120", fee: "0.1", time: "2025-06-01T00:00:00Z" },
      { symbol: "SYM01-USD", side: "sell", size: "2", price: "130", fee: "0.2", time: "2025-06-02T00:00:00Z", oldPnl: "5" },
      { symbol: "SYM01-USD", side: "sell", size: "90", price: "131", time: "2025-06-03T00:00:00Z" },
    ]);
    expect((await run("incremental")).status).toBe("succeeded");
    expect(await steps()).toMatchObject({ symbols: 1, delta: expect.any(Number) });
    await expectSameAsFullRebuild();
  });

  test("new trades on every symbol, same days as earlier sells, huge and tiny differences: equal to a full rebuild", async () => {
    const trades = ["SYM00-USD", "SYM01-USD", "SYM02-USD"].flatMap((symbol, i) => [
      { symbol, side: "buy", size: "0.5", price: "99", fee: "0.01", time: `2025-06-03T0${i + 1}:00:00Z` },
      { symbol, side: "sell", size: "0.25", price: "150", time: `2025-06-03T0${i + 1}:30:00Z`, oldPnl: "-1000000" },
      { symbol, side: "sell", size: "0.25", price: "150", fee: "0.5", time: `2025-06-03T0${i + 1}:40:00Z`, oldPnl: "12.37" },
      { symbol, side: "sell", size: "1000", price: "151", time: `2025-06-04T0${i + 1}:00:00Z`, oldPnl: "3" },
    ]);
    await insertTrades(t.db, trades);
    expect((await run("incremental")).status).toBe("succeeded");
    expect(await steps()).toMatchObject({ symbols: 3, delta: expect.any(Number) });
    await expectSameAsFullRebuild();
  });

  test("a backdated trade recomputes its symbol and rebuilds that symbol's read models instead", async () => {
    await insertTrades(t.db, [{ symbol: "SYM02-USD", side: "buy", size: "5", price: "90", time: "2024-01-01T00:00:30Z" }]);
    await insertTrades(t.db, [{ symbol: "SYM00-USD", side: "sell", size: "0.1", price: "160", time: "2025-07-01T00:00:00Z" }]);
    const inc = await run("incremental");
    expect(inc.fullRecomputes.map((f) => f.symbol)).toEqual(["SYM02-USD"]);
    const now = await steps();
    expect(now.symbols).toBe(2);
    expect(now.delta).toBeUndefined();
    await expectSameAsFullRebuild();
  });
});

describe("a full rebuild swaps in the version's partitions (0016)", () => {
  const partitions = async () =>
    (
      await t.db.query<{ parent: string; child: string }>(
        `SELECT p.relname AS parent, c.relname AS child FROM pg_inherits i
         JOIN pg_class p ON p.oid = i.inhparent JOIN pg_class c ON c.oid = i.inhrelid
         WHERE p.relname = ANY ($1::text[])`,
        [[...VERSION_TABLES]],
      )
    ).map((r) => `${r.parent} ${r.child}`).sort();

  test("each read model of the version is its own partition, replaced whole by the next full rebuild", async () => {
    expect((await run("full")).status).toBe("succeeded");
    const expected = VERSION_TABLES.flatMap((table) => [`${table} ${table}_default`, `${table} ${table}_v1`]).sort();
    expect(await partitions()).toEqual(expected);
    const before = await readModels(t.db);
    expect(await refreshReadModels(t.db, 1, { force: true })).toBe("rebuilt");
    expect(await partitions()).toEqual(expected);
    expect(await readModels(t.db)).toEqual(before);
    for (const table of VERSION_TABLES) {
      const [row] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}_default`);
      expect(row!.n, table).toBe(0);
    }
  });

  test("a failed full rebuild leaves the previous partitions and rows", async () => {
    const before = await readModels(t.db);
    await expect(
      t.db.transaction(async (tx) => {
        await refreshReadModels(tx, 1, { force: true });
        throw new Error("stop before commit");
      }),
    ).rejects.toThrow("stop before commit");
    expect(await readModels(t.db)).toEqual(before);
  });

  test("the cause filter lists exactly the view's sells of that cause, with their cause", async () => {
    const view = await t.db.query<{ trade_id: number; cause: string }>(
      `SELECT trade_id, cause FROM v_allocation_discrepancies
       WHERE allocation_version = 1 AND discrepancy_type = 'pnl_difference' ORDER BY trade_id`,
    );
    const causes = [...new Set(view.map((r) => r.cause))];
    expect(causes.length).toBeGreaterThan(0);
    for (const cause of causes) {
      const data = await discrepanciesPageData(t.db, { version: "1", cause, sort: "trade_id.asc" });
      const ofCause = view.filter((r) => r.cause === cause).map((r) => r.trade_id);
      expect(data.page.rows.map((r) => r.tradeId), cause).toEqual(ofCause.slice(0, data.page.rows.length));
      expect(data.page.rows.length).toBe(Math.min(ofCause.length, data.page.size));
      expect(new Set(data.page.rows.map((r) => r.cause))).toEqual(new Set([cause]));
    }
  });
});

describe.runIf(usingRealServer)("a full rebuild split by symbol over several connections", () => {
  const loadTables = async () =>
    (await t.db.query<{ relname: string }>("SELECT relname FROM pg_class WHERE relname LIKE 'dash\\_%\\_load\\_v1' ORDER BY 1")).map((r) => r.relname);
  const steps = async () =>
    (await t.db.query<{ steps: Record<string, number> }>("SELECT steps FROM dash_refresh_state WHERE allocation_version = 1"))[0]!.steps;

  test("gives exactly the rows of a rebuild on one connection, and leaves no load table behind", async () => {
    expect((await run("full")).status).toBe("succeeded");
    expect(await refreshReadModels(t.db, 1, { force: true, connections: 1 })).toBe("rebuilt");
    expect((await steps()).connections).toBeUndefined();
    const serial = await readModels(t.db);
    expect(serial.dash_sell_pnl!.length).toBeGreaterThan(100);
    expect(await refreshReadModels(t.db, 1, { force: true, connections: 3 })).toBe("rebuilt");
    expect((await steps()).connections).toBe(3);
    expect(await readModels(t.db)).toEqual(serial);
    expect(await loadTables()).toEqual([]);
  });

  test("load tables a crashed rebuild left are replaced, not mixed in", async () => {
    const before = await readModels(t.db);
    await t.db.exec("CREATE TABLE dash_sell_pnl_load_v1 (LIKE dash_sell_pnl); CREATE TABLE dash_discrepancies_load_v1 (x int)");
    expect(await refreshReadModels(t.db, 1, { force: true, connections: 2 })).toBe("rebuilt");
    expect(await readModels(t.db)).toEqual(before);
    expect(await loadTables()).toEqual([]);
  });

  test("a failed parallel rebuild keeps the previous read models and drops its load tables", async () => {
    const before = await readModels(t.db);
    const [setting] = await t.db.query<{ value: string }>("SELECT value FROM fifo_settings WHERE key = 'pnl_discrepancy_threshold_usd'");
    // A value a DBA typed by hand that is no number: the discrepancy step of each connection fails.
    await t.db.query("UPDATE fifo_settings SET value = 'ten cents' WHERE key = 'pnl_discrepancy_threshold_usd'");
    try {
      await expect(refreshReadModels(t.db, 1, { force: true, connections: 2 })).rejects.toThrow(/numeric/);
    } finally {
      await t.db.query("UPDATE fifo_settings SET value = $1 WHERE key = 'pnl_discrepancy_threshold_usd'", [setting!.value]);
    }
    expect(await readModels(t.db)).toEqual(before);
    expect(await loadTables()).toEqual([]);
  });
});
