// The full run's write path: a fresh partition per version, swapped in inside the run's
// transaction (migration 0009, db/compute/version-partitions.ts). On both engines.
import { afterAll, beforeAll, expect, test } from "vitest";
import { computeAllocations } from "@/lib/compute/run-computation";
import { createTestDatabase, usingRealServer, type TestDatabase } from "../helpers/database";
import { allocationRows, insertTrades } from "../helpers/trades";

let t: TestDatabase;
const full = (version: number, extra: Partial<Parameters<typeof computeAllocations>[1]> = {}, options = {}) =>
  computeAllocations(t.db, { version, symbols: null, mode: "full", startedBy: "test", ...extra }, options);

const partitions = async () =>
  (
    await t.db.query<{ name: string; bound: string }>(
      `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'fifo_allocations'::regclass ORDER BY 1`,
    )
  ).map((p) => `${p.name} ${p.bound}`);

const leftoverLoadTables = async () =>
  (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_class WHERE relname LIKE 'fifo\\_allocations\\_load%'"))[0]!.n;

beforeAll(async () => {
  t = await createTestDatabase();
  await insertTrades(t.db, [
    { id: 1, side: "buy", size: "1", price: "100", fee: "0.3", time: "2025-01-01T00:00:00Z" },
    { id: 2, side: "buy", size: "2", price: "110", fee: "0.2", time: "2025-01-02T00:00:00Z" },
    { id: 3, side: "sell", size: "1.5", price: "120", fee: "0.15", time: "2025-01-03T00:00:00Z" },
    { id: 4, side: "sell", size: "2", price: "130", time: "2025-01-04T00:00:00Z" },
  ]);
});
afterAll(() => t.drop());

test("a full run of every symbol gets its version's own partition, with the parent's indexes", async () => {
  expect(await partitions()).toEqual(["fifo_allocations_default DEFAULT"]);
  expect((await full(1)).status).toBe("succeeded");
  expect(await partitions()).toEqual(["fifo_allocations_default DEFAULT", "fifo_allocations_v1 FOR VALUES IN (1)"]);
  const rows = await allocationRows(t.db, 1);
  expect(rows.map((r) => [r.sell_trade_id, r.buy_trade_id, r.allocated_size, r.pnl_usd])).toEqual([
    [3, 1, "1", "19.6"],
    [3, 2, "0.5", "4.9"],
    [4, 2, "1.5", "29.85"],
  ]);
  // Every index of the parent has its partition (ATTACH adopted the ones built after the load).
  const [indexes] = await t.db.query<{ parent: number; attached: number }>(
    `SELECT (SELECT count(*)::int FROM pg_index WHERE indrelid = 'fifo_allocations'::regclass) AS parent,
       (SELECT count(*)::int FROM pg_index WHERE indrelid = 'fifo_allocations_v1'::regclass) AS attached`,
  );
  expect(indexes!.attached).toBe(indexes!.parent);
  expect(await leftoverLoadTables()).toBe(0);
});

test("a second full run replaces the partition with identical rows", async () => {
  const before = await allocationRows(t.db, 1);
  const summary = await full(1);
  expect(summary.status).toBe("succeeded");
  expect(await allocationRows(t.db, 1)).toEqual(before.map((r) => ({ ...r })));
  const runs = await t.db.query<{ id: number }>("SELECT DISTINCT computation_id AS id FROM fifo_allocations_v1");
  expect(runs).toEqual([{ id: summary.runId }]);
});

test("a run cancelled mid-run (on PostgreSQL: after the swap) leaves the previous allocations intact", async () => {
  const before = await allocationRows(t.db, 1);
  const abort = new AbortController();
  // Both engines see the cancel at their first checkpoint after the swap: PostgreSQL publishes
  // "writing" inside the run's transaction; PGlite publishes nothing there, and a cancel that
  // came while it was reading is noticed inside its write transaction, after the swap.
  const at = usingRealServer ? "writing" : "reading";
  const summary = await full(1, {}, { signal: abort.signal, onProgress: (p: { phase: string }) => p.phase === at && abort.abort() });
  expect(summary.status).toBe("cancelled");
  expect(await allocationRows(t.db, 1)).toEqual(before);
  expect(await partitions()).toEqual(["fifo_allocations_default DEFAULT", "fifo_allocations_v1 FOR VALUES IN (1)"]);
  expect(await leftoverLoadTables()).toBe(0);
});

test("a failing run leaves the previous allocations intact", async () => {
  const before = await allocationRows(t.db, 1);
  // A CHECK that one of the new rows violates (allocation 4-2 is 1.5) breaks the load mid-run.
  await t.db.exec("ALTER TABLE fifo_allocations ADD CONSTRAINT test_small CHECK (allocated_size < 1.2) NOT VALID");
  try {
    const summary = await full(1);
    expect(summary.status).toBe("failed");
    expect(summary.errors.join(" ")).toContain("test_small");
  } finally {
    await t.db.exec("ALTER TABLE fifo_allocations DROP CONSTRAINT test_small");
  }
  expect(await allocationRows(t.db, 1)).toEqual(before);
  expect(await leftoverLoadTables()).toBe(0);
});

test("rows a version had in the default partition move to its partition on a run of some symbols", async () => {
  await t.db.query(
    `INSERT INTO fifo_allocations (allocation_version, symbol, sell_trade_id, buy_trade_id, allocated_size, buy_price, sell_price,
       buy_fee_usd, sell_fee_usd, pnl_usd, buy_time, sell_time, computation_id)
     VALUES (7, 'ETH-USD', 900, 901, 1, 1, 2, 0, 0, 1, '2025-01-01', '2025-01-02', 1)`,
  );
  expect((await full(7, { symbols: ["BTC-USD"] })).status).toBe("succeeded");
  expect(await partitions()).toContain("fifo_allocations_v7 FOR VALUES IN (7)");
  const rows = await t.db.query<{ part: string; sell_trade_id: number }>(
    "SELECT tableoid::regclass::text AS part, sell_trade_id FROM fifo_allocations WHERE allocation_version = 7 ORDER BY 2",
  );
  // BTC-USD was recomputed; the ETH-USD row (another symbol) was kept, now in v7's partition.
  expect(rows).toEqual([
    { part: "fifo_allocations_v7", sell_trade_id: 3 },
    { part: "fifo_allocations_v7", sell_trade_id: 3 },
    { part: "fifo_allocations_v7", sell_trade_id: 4 },
    { part: "fifo_allocations_v7", sell_trade_id: 900 },
  ]);
});

test.runIf(usingRealServer)("full runs of different versions at once from two server processes all succeed", async () => {
  const other = t.connect();
  const runs = await Promise.all([
    full(21),
    computeAllocations(other, { version: 22, symbols: null, mode: "full", startedBy: "test" }),
    full(23),
    computeAllocations(other, { version: 24, symbols: null, mode: "full", startedBy: "test" }),
  ]);
  expect(runs.map((r) => r.status)).toEqual(["succeeded", "succeeded", "succeeded", "succeeded"]);
  for (const v of [21, 22, 23, 24]) expect(await allocationRows(t.db, v)).toEqual(await allocationRows(t.db, 1));
});
