// Seeding a real database (PostgreSQL with TEST_DATABASE_URL, PGlite otherwise): reproducible
// rows, a consistent id sequence, the refusals, and old PnL that a correct FIFO disagrees with.
import Big from "big.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { SeedRefusedError, seedDemoData, seedTrades } from "@/db/seed-writer";
import type { SqlClient } from "@/db/sql-client";
import { createTestDatabase, type TestDatabase } from "../helpers/database";

const TRADES = 8000;
let first: TestDatabase;
let second: TestDatabase;

beforeAll(async () => {
  [first, second] = await Promise.all([createTestDatabase(), createTestDatabase()]);
});
afterAll(() => Promise.all([first?.drop(), second?.drop()]));

async function checksum(db: SqlClient): Promise<string> {
  const [row] = await db.query<{ sum: string }>(
    "SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY id), '')) AS sum FROM trade_records t",
  );
  return row!.sum;
}

interface Trade {
  id: number;
  symbol: string;
  side: string;
  size: string;
  price: string;
  fee_usd: string;
  status: string;
  parent_id: number | null;
  pnl_usd: string | null;
}

/** A plain FIFO (fees pro rata) over the usable trades, ordered by (order_time, id). */
function fifo(trades: Trade[]): Map<number, { pnl: Big; firstLot: number | null }> {
  const lots = new Map<string, { id: number; left: Big; price: Big; feePerUnit: Big }[]>();
  const result = new Map<number, { pnl: Big; firstLot: number | null }>();
  for (const t of trades) {
    const size = new Big(t.size);
    const price = new Big(t.price);
    if (t.status !== "filled" || size.lte(0) || price.lte(0)) continue;
    const open = lots.get(t.symbol) ?? [];
    lots.set(t.symbol, open);
    if (t.side === "buy") open.push({ id: t.id, left: size, price, feePerUnit: new Big(t.fee_usd).div(size) });
    if (t.side !== "sell") continue;
    let left = size;
    let pnl = new Big(0).minus(t.fee_usd);
    const firstLot = open[0]?.id ?? null;
    while (left.gt(0) && open.length > 0) {
      const lot = open[0]!;
      const used = lot.left.lt(left) ? lot.left : left;
      pnl = pnl.plus(used.times(price.minus(lot.price))).minus(used.times(lot.feePerUnit));
      lot.left = lot.left.minus(used);
      left = left.minus(used);
      if (lot.left.eq(0)) open.shift();
    }
    result.set(t.id, { pnl, firstLot });
  }
  return result;
}

describe("seedTrades", () => {
  test("loads the trades with ids 1..N and leaves the id sequence after them", async () => {
    const result = await seedTrades(first.db, { trades: TRADES, seed: 7 });
    expect(result).toMatchObject({ trades: TRADES, symbols: 8, firstId: 1, lastId: TRADES, existingRows: 0, seed: 7 });
    const [count] = await first.db.query<{ n: number; min: number; max: number }>(
      "SELECT count(*)::int AS n, min(id) AS min, max(id) AS max FROM trade_records",
    );
    expect(count).toEqual({ n: TRADES, min: 1, max: TRADES });
    const [next] = await first.db.query<{ id: number }>(
      "INSERT INTO trade_records (symbol, side, size, price, order_time) VALUES ('BTC-USD', 'buy', 1, 1, now()) RETURNING id",
    );
    expect(next!.id).toBe(TRADES + 1);
    await first.db.query("DELETE FROM trade_records WHERE id = $1", [TRADES + 1]);
  });

  test("the same seed gives identical rows in another database; another seed differs", async () => {
    await seedTrades(second.db, { trades: TRADES, seed: 7 });
    expect(await checksum(second.db)).toBe(await checksum(first.db));
    await second.db.exec("TRUNCATE trade_records RESTART IDENTITY");
    await seedTrades(second.db, { trades: TRADES, seed: 8 });
    expect(await checksum(second.db)).not.toBe(await checksum(first.db));
  });

  test("the shape of the data: symbols, sides, unusable rows, old parents, ids in time order", async () => {
    const [shape] = await first.db.query<Record<string, number>>(`
      SELECT count(DISTINCT symbol)::int AS symbols,
        count(*) FILTER (WHERE side = 'buy' AND status = 'filled')::int AS buys,
        count(*) FILTER (WHERE side = 'sell' AND status = 'filled')::int AS sells,
        count(*) FILTER (WHERE status <> 'filled' OR side NOT IN ('buy', 'sell') OR size <= 0 OR price <= 0)::int AS unusable,
        count(*) FILTER (WHERE side = 'sell' AND parent_id IS NOT NULL AND pnl_usd IS NOT NULL)::int AS with_parent,
        count(*) FILTER (WHERE side = 'sell' AND parent_id IS NULL)::int AS without_parent,
        count(*) FILTER (WHERE source <> 'bot')::int AS not_bot
      FROM trade_records`);
    expect(shape!.symbols).toBe(8);
    expect(shape!.buys).toBeGreaterThan(3000);
    expect(shape!.sells).toBeGreaterThan(2000);
    expect(shape!.unusable).toBeGreaterThanOrEqual(4);
    expect(shape!.with_parent).toBeGreaterThan(shape!.sells! * 0.9);
    expect(shape!.without_parent).toBeGreaterThan(0);
    expect(shape!.not_bot).toBe(0);
    const [order] = await first.db.query<{ backwards: number; equal: number }>(`
      SELECT count(*) FILTER (WHERE order_time < prev)::int AS backwards, count(*) FILTER (WHERE order_time = prev)::int AS equal
      FROM (SELECT order_time, lag(order_time) OVER (ORDER BY id) AS prev FROM trade_records) t`);
    expect(order!.backwards).toBeLessThan(TRADES * 0.01);
    expect(order!.equal).toBeGreaterThan(50);
  });

  test("the old pnl_usd and parent_id disagree with a correct FIFO for many sells, and agree for some", async () => {
    const trades = await first.db.query<Trade>(
      "SELECT id, symbol, side, size, price, fee_usd, status, parent_id, pnl_usd FROM trade_records ORDER BY order_time, id",
    );
    const correct = fifo(trades);
    const oldSells = trades.filter((t) => t.side === "sell" && t.pnl_usd !== null && correct.has(t.id));
    const differs = oldSells.filter((t) => !new Big(t.pnl_usd!).eq(correct.get(t.id)!.pnl.round(2)));
    const wrongParent = oldSells.filter((t) => t.parent_id !== correct.get(t.id)!.firstLot);
    expect(differs.length).toBeGreaterThan(oldSells.length * 0.5); // fees alone make most differ
    expect(wrongParent.length).toBeGreaterThan(oldSells.length * 0.1);
    expect(wrongParent.length).toBeLessThan(oldSells.length); // some matches are right
    const oldTotal = oldSells.reduce((sum, t) => sum.plus(t.pnl_usd!), new Big(0));
    const newTotal = [...correct.values()].reduce((sum, r) => sum.plus(r.pnl), new Big(0));
    expect(oldTotal.eq(newTotal)).toBe(false);
  });

  test("refuses a table with rows unless appending; appended ids follow the existing ones", async () => {
    const before = await checksum(first.db);
    const refused = await seedTrades(first.db, { trades: 10 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SeedRefusedError);
    expect((refused as SeedRefusedError).reason).toBe("not_empty");
    expect((refused as Error).message).toMatch(/--append/);
    await expect(seedDemoData(first.db, { trades: 10 })).rejects.toThrow(/already has rows/);
    expect(await checksum(first.db)).toBe(before);

    const appended = await seedTrades(first.db, { trades: 500, seed: 9, append: true });
    // The sequence went past TRADES when the test above inserted (and deleted) a row.
    expect(appended).toMatchObject({ existingRows: TRADES, firstId: TRADES + 2, lastId: TRADES + 501 });
    const [count] = await first.db.query<{ n: number }>("SELECT count(*)::int AS n FROM trade_records");
    expect(count!.n).toBe(TRADES + 500);
  });

  test("refuses an unmigrated database", async () => {
    const bare = await createTestDatabase({ migrated: false });
    try {
      await expect(seedTrades(bare.db, { trades: 10 })).rejects.toThrow(/npm run db:migrate/);
    } finally {
      await bare.drop();
    }
  });
});

test("seedDemoData fills an empty database with a few thousand demo trades", async () => {
  await second.db.exec("TRUNCATE trade_records RESTART IDENTITY");
  const result = await seedDemoData(second.db, { trades: 3000, symbols: 5, seed: 1 });
  expect(result.trades).toBe(3000);
  const [row] = await second.db.query<{ n: number; symbols: number }>(
    "SELECT count(*)::int AS n, count(DISTINCT symbol)::int AS symbols FROM trade_records",
  );
  expect(row).toEqual({ n: 3000, symbols: 5 });
});
