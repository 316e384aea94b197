// Incremental runs continue from the inventory snapshot and must give exactly what a full
// recompute gives; a backdated or changed trade forces a full recompute of its symbol.
import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import { computeAllocations } from "@/lib/compute/run-computation";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { allocationRows, insertTrades, type TradeSpec } from "../helpers/trades";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

const compute = (version: number, symbols: string[], mode: "full" | "incremental") =>
  computeAllocations(t.db, { version, symbols, mode, startedBy: "test" });

const results = async (version: number, symbol: string) => ({
  allocations: (await allocationRows(t.db, version)).filter((r) => r.symbol === symbol),
  unmatched: await t.db.query(
    "SELECT sell_trade_id, unmatched_size::text FROM fifo_unmatched_sells WHERE allocation_version = $1 AND symbol = $2 ORDER BY 1",
    [version, symbol],
  ),
  snapshot: await t.db.query(
    "SELECT last_trade_id, trades_processed, trades_checksum, open_lots, open_size::text FROM fifo_inventory_snapshot WHERE allocation_version = $1 AND symbol = $2",
    [version, symbol],
  ),
  differences: await t.db.query(
    "SELECT sell_trade_id, cause, difference_usd::text FROM fifo_pnl_differences WHERE allocation_version = $1 AND symbol = $2 ORDER BY 1",
    [version, symbol],
  ),
  causeTotals: await t.db.query(
    `SELECT cause, sells::int, total_difference_usd::text, largest_abs_difference_usd::text, examples
     FROM fifo_cause_totals WHERE allocation_version = $1 AND symbol = $2 ORDER BY cause`,
    [version, symbol],
  ),
  openItems: await t.db.query(
    "SELECT trade_id, issue_type FROM manual_review_queue WHERE allocation_version = $1 AND symbol = $2 AND status IN ('pending', 'in_review') ORDER BY 1, 2",
    [version, symbol],
  ),
});

const decimal = (maxUnits: number, scale: number) =>
  fc.integer({ min: 1, max: maxUnits }).map((n) => (n / 10 ** scale).toFixed(scale));
const tradeArb = fc.record({
  side: fc.constantFrom("buy", "buy", "sell", "sell", "hold"),
  size: decimal(300, 2),
  price: decimal(50_000, 2),
  fee: decimal(100, 3),
  minutes: fc.integer({ min: 0, max: 3 }), // gaps of 0 make equal timestamps
  // the old system's PnL of a sell: differing sells, their causes and totals per cause
  oldPnl: fc.option(fc.integer({ min: -50_000, max: 50_000 }).map((n) => (n / 100).toFixed(2)), { nil: undefined }),
});

let run = 0;
test("incremental after appended trades equals a full recompute (random histories)", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(tradeArb, { minLength: 1, maxLength: 25 }), fc.array(tradeArb, { minLength: 0, maxLength: 15 }), async (first, appended) => {
      run++;
      const symbol = `R${run}-USD`;
      const [incremental, full] = [2 * run, 2 * run + 1];
      let minute = 0;
      const spec = (x: (typeof first)[number]): TradeSpec => {
        minute += x.minutes;
        return {
          symbol, side: x.side, size: x.size, price: x.price, fee: x.fee, oldPnl: x.side === "sell" ? x.oldPnl : undefined,
          time: new Date(Date.UTC(2025, 0, 1, 0, minute)).toISOString(),
        };
      };
      await insertTrades(t.db, first.map(spec));
      expect((await compute(incremental, [symbol], "full")).status).toBe("succeeded");
      minute += 1; // appended trades come strictly after the snapshot point
      await insertTrades(t.db, appended.map(spec));
      const inc = await compute(incremental, [symbol], "incremental");
      expect(inc.status).toBe("succeeded");
      expect(inc.fullRecomputes).toEqual([]);
      expect(inc.tradesRead).toBe(appended.length);
      expect((await compute(full, [symbol], "full")).status).toBe("succeeded");
      expect(await results(incremental, symbol)).toEqual(await results(full, symbol));
    }),
    { numRuns: 12 },
  );
}, 240_000); // PGlite on a loaded 2-core machine: 12 histories took 105 s

test("a backdated trade forces a full recompute of its symbol only", async () => {
  const trades = (symbol: string): TradeSpec[] => [
    { symbol, side: "buy", size: "1", price: "10", time: "2025-03-01T00:00:00Z" },
    { symbol, side: "sell", size: "2", price: "12", time: "2025-03-02T00:00:00Z" },
  ];
  await insertTrades(t.db, [...trades("BD-USD"), ...trades("OK-USD")]);
  await compute(100, ["BD-USD", "OK-USD"], "full");
  await insertTrades(t.db, [
    { symbol: "BD-USD", side: "buy", size: "1", price: "9", time: "2025-02-01T00:00:00Z", source: "manual" },
    { symbol: "OK-USD", side: "buy", size: "3", price: "11", time: "2025-04-01T00:00:00Z" },
  ]);
  const inc = await compute(100, ["BD-USD", "OK-USD"], "incremental");
  expect(inc.status).toBe("succeeded");
  expect(inc.fullRecomputes).toEqual([{ symbol: "BD-USD", reason: "1 trade(s) inserted at or before the snapshot point" }]);
  expect(inc.tradesRead).toBe(3 + 1); // BD-USD in full, OK-USD only its new trade
  await compute(101, ["BD-USD", "OK-USD"], "full");
  for (const symbol of ["BD-USD", "OK-USD"]) expect(await results(100, symbol)).toEqual(await results(101, symbol));
  // The backdated buy covered the sell completely: its unmatched item is closed by the incremental run.
  expect((await results(100, "BD-USD")).openItems).toEqual([]);
});

test("a changed trade before the snapshot point is detected", async () => {
  const [buy] = await insertTrades(t.db, [
    { symbol: "CH-USD", side: "buy", size: "1", price: "10", time: "2025-03-01T00:00:00Z" },
    { symbol: "CH-USD", side: "sell", size: "1", price: "12", time: "2025-03-02T00:00:00Z" },
  ]);
  await compute(200, ["CH-USD"], "full");
  await t.db.query("UPDATE trade_records SET price = 11 WHERE id = $1", [buy]);
  const inc = await compute(200, ["CH-USD"], "incremental");
  expect(inc.fullRecomputes).toEqual([{ symbol: "CH-USD", reason: "a trade at or before the snapshot point changed" }]);
  const [row] = await allocationRows(t.db, 200);
  expect(row).toMatchObject({ buy_price: "11", pnl_usd: "1" });
});

test("an incremental run with nothing new changes nothing and keeps open items", async () => {
  await insertTrades(t.db, [{ symbol: "NN-USD", side: "sell", size: "1", price: "12", time: "2025-03-02T00:00:00Z" }]);
  await compute(300, ["NN-USD"], "full");
  const before = await results(300, "NN-USD");
  expect(before.openItems).toHaveLength(1);
  const inc = await compute(300, ["NN-USD"], "incremental");
  expect(inc).toMatchObject({ status: "succeeded", tradesRead: 0, reviewItemsClosed: 0 });
  expect(await results(300, "NN-USD")).toEqual(before);
});
