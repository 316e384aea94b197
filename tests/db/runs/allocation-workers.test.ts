// A full run on worker threads (lib/compute/allocate-on-workers.ts) gives exactly the results of
// the same run on one thread: allocations, unmatched sells, review items, differences and their
// causes, snapshots and month ends, and the run's own counts. Real server only (PGlite has one
// connection and never uses workers).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { seedDemoData } from "@/db/seed-writer";
import type { SqlClient } from "@/db/sql-client";
import { computeAllocations } from "@/lib/compute/run-computation";
import { createTestDatabase, usingRealServer, type TestDatabase } from "../../helpers/database";
import { insertTrades } from "../../helpers/trades";

/** Everything a run writes, in a stable order, without run ids and timestamps of the run itself. */
async function results(db: SqlClient) {
  const read = (sql: string) => db.query<Record<string, unknown>>(sql);
  return {
    allocations: await read(
      `SELECT symbol, sell_trade_id, buy_trade_id, allocated_size, buy_price, sell_price, buy_fee_usd, sell_fee_usd, pnl_usd, buy_time, sell_time
       FROM fifo_allocations WHERE allocation_version = 1 ORDER BY sell_trade_id, buy_trade_id`,
    ),
    unmatched: await read(
      `SELECT symbol, sell_trade_id, sell_size, matched_size, unmatched_size, sell_price, sell_time
       FROM fifo_unmatched_sells WHERE allocation_version = 1 ORDER BY sell_trade_id`,
    ),
    snapshots: await read(
      `SELECT symbol, last_trade_id, last_order_time, trades_processed, open_lots, open_size, trades_checksum
       FROM fifo_inventory_snapshot WHERE allocation_version = 1 ORDER BY symbol`,
    ),
    monthEnds: await read("SELECT symbol, month_end, open_lots, open_size FROM fifo_inventory_month_end WHERE allocation_version = 1 ORDER BY symbol, month_end"),
    differences: await read(
      `SELECT sell_trade_id, symbol, sell_time, old_parent_id, old_pnl_usd, new_pnl_usd, difference_usd, cause
       FROM fifo_pnl_differences WHERE allocation_version = 1 ORDER BY sell_trade_id`,
    ),
    causeTotals: await read("SELECT * FROM fifo_cause_totals WHERE allocation_version = 1 ORDER BY symbol, cause"),
    reviewItems: await read(
      `SELECT trade_id, symbol, issue_type, severity, reason, details, unmatched_size, notional_usd, old_pnl_usd, new_pnl_usd, status
       FROM manual_review_queue ORDER BY trade_id, issue_type`,
    ),
  };
}

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoData(t.db, { trades: 8000, symbols: 9, seed: 4 });
  // Symbols whose COPY text has escapes: workers route lines by the symbol as COPY writes it.
  await insertTrades(t.db, [
    { symbol: "TAB\tSYM", side: "buy", size: "2", price: "10", fee: "0.1", time: "2025-01-01T00:00:00Z" },
    { symbol: "TAB\tSYM", side: "sell", size: "3", price: "12", time: "2025-01-02T00:00:00Z", oldPnl: "4" },
    { symbol: "BACK\\SLASH", side: "buy", size: "1", price: "5", time: "2025-01-01T00:00:00Z" },
    { symbol: "BACK\\SLASH", side: "sell", size: "1", price: "6", time: "2025-02-03T00:00:00Z", oldPnl: "2" },
  ]);
});
afterAll(() => t?.drop());

const fullRun = (allocationWorkers: number) =>
  computeAllocations(t.db, { version: 1, symbols: null, mode: "full", startedBy: "test" }, { allocationWorkers });

describe.runIf(usingRealServer)("a full run on worker threads", () => {
  test("gives exactly what the same run on one thread gives", async () => {
    const one = await fullRun(0);
    expect(one.status).toBe("succeeded");
    expect(one.timings?.allocation_workers).toBeUndefined();
    const expected = await results(t.db);
    expect(expected.allocations.length).toBeGreaterThan(1000);
    expect(expected.unmatched.length).toBeGreaterThan(0);
    expect(expected.differences.length).toBeGreaterThan(100);
    for (const workers of [1, 3]) {
      const run = await fullRun(workers);
      expect(run.status, `${workers} workers`).toBe("succeeded");
      expect(run.timings?.allocation_workers).toBe(workers);
      expect(await results(t.db)).toEqual(expected);
      const counts = ({ tradesRead, allocationsWritten, unmatchedSells, invalidTrades }: typeof one) =>
        ({ tradesRead, allocationsWritten, unmatchedSells, invalidTrades });
      expect(counts(run)).toEqual(counts(one));
    }
  });

  test("a run cancelled while the workers match keeps the previous results", async () => {
    const before = await results(t.db);
    const controller = new AbortController();
    const run = computeAllocations(t.db, { version: 1, symbols: null, mode: "full", startedBy: "test" }, {
      allocationWorkers: 2,
      signal: controller.signal,
      // Seen at the run's first check after the workers started: their first batch of rows.
      onProgress: (p) => {
        if (p.phase === "reading") controller.abort();
      },
    });
    expect((await run).status).toBe("cancelled");
    expect(await results(t.db)).toEqual(before);
    expect((await fullRun(2)).status).toBe("succeeded");
  });
});
