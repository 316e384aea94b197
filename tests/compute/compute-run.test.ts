// A run end to end on a real database: allocations, unmatched sells, review items, the run log,
// reruns, one run per version, and cancellation leaving the previous results intact.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { RunConflictError, createRun } from "@/db/compute/runs";
import { computeAllocations, enqueueRun } from "@/lib/compute/run-computation";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { allocationRows, insertTrades } from "../helpers/trades";

let t: TestDatabase;
const run = (version = 1, extra: Partial<Parameters<typeof computeAllocations>[1]> = {}) =>
  computeAllocations(t.db, { version, symbols: null, mode: "full", startedBy: "test", ...extra });

beforeAll(async () => {
  t = await createTestDatabase();
  await insertTrades(t.db, [
    { id: 1, side: "buy", size: "1", price: "100", fee: "0.3", time: "2025-01-01T00:00:00Z" },
    { id: 2, side: "buy", size: "2", price: "110", fee: "0.2", time: "2025-01-02T00:00:00Z" },
    { id: 3, side: "sell", size: "1.5", price: "120", fee: "0.15", time: "2025-01-03T00:00:00Z", parentId: 2, oldPnl: "15" },
    { id: 4, side: "sell", size: "2", price: "130", fee: "0", time: "2025-01-04T00:00:00Z" },
    { id: 5, side: "buy", size: "0", price: "100", time: "2025-01-05T00:00:00Z" },
    { id: 6, symbol: "ETH-USD", side: "sell", size: "3", price: "4000", time: "2025-01-01T00:00:00Z" },
    { id: 7, symbol: "ETH-USD", side: "buy", size: "5", price: "3000", time: "2025-01-02T00:00:00Z" },
  ]);
});
afterAll(() => t.drop());

describe("a full run", () => {
  test("writes the FIFO allocations with exact fee shares and PnL", async () => {
    const summary = await run();
    expect(summary).toMatchObject({ status: "succeeded", tradesRead: 7, allocationsWritten: 3, unmatchedSells: 2, invalidTrades: 1 });
    const rows = await allocationRows(t.db, 1);
    expect(rows.map((r) => [r.sell_trade_id, r.buy_trade_id, r.allocated_size, r.buy_fee_usd, r.sell_fee_usd, r.pnl_usd])).toEqual([
      // sell 3 takes all of buy 1 (its whole fee) and 0.5 of buy 2; its own fee splits 1/1.5 and the rest
      [3, 1, "1", "0.3", "0.1", "19.6"],
      [3, 2, "0.5", "0.05", "0.05", "4.9"],
      // sell 4 takes the remaining 1.5 of buy 2 (the rest of its fee) and is 0.5 short
      [4, 2, "1.5", "0.15", "0", "29.85"],
    ]);
  });

  test("records unmatched sells and opens review items once", async () => {
    const unmatched = await t.db.query(
      "SELECT sell_trade_id, unmatched_size::text FROM fifo_unmatched_sells WHERE allocation_version = 1 ORDER BY 1",
    );
    expect(unmatched).toEqual([
      { sell_trade_id: 4, unmatched_size: "0.5" },
      { sell_trade_id: 6, unmatched_size: "3" },
    ]);
    const items = await t.db.query<{ trade_id: number; issue_type: string; severity: string; status: string }>(
      "SELECT trade_id, issue_type, severity, status FROM manual_review_queue WHERE allocation_version = 1 ORDER BY trade_id, issue_type",
    );
    expect(items).toEqual([
      // sell 3's old pnl 15 vs new 24.5 is explained (split across lots) and small: listed, no item
      { trade_id: 4, issue_type: "unmatched_sell", severity: "medium", status: "pending" }, // 0.5 * 130 = 65 USD
      { trade_id: 5, issue_type: "invalid_trade", severity: "medium", status: "pending" },
      { trade_id: 6, issue_type: "unmatched_sell", severity: "critical", status: "pending" }, // 12,000 USD
    ]);
    const [difference] = await t.db.query(
      "SELECT trade_id, cause FROM v_allocation_discrepancies WHERE allocation_version = 1 AND discrepancy_type = 'pnl_difference'",
    );
    expect(difference).toEqual({ trade_id: 3, cause: "split_lots" });
  });

  test("a rerun gives identical rows and no duplicate items", async () => {
    const before = await allocationRows(t.db, 1);
    const summary = await run();
    expect(summary.status).toBe("succeeded");
    expect(summary.reviewItemsOpened).toBe(0);
    expect(await allocationRows(t.db, 1)).toEqual(before);
    const [{ n }] = (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM manual_review_queue")) as [{ n: number }];
    expect(n).toBe(3);
  });

  test("the run log says what happened", async () => {
    const [log] = await t.db.query<Record<string, unknown>>(
      "SELECT * FROM fifo_computation_log WHERE allocation_version = 1 ORDER BY id LIMIT 1",
    );
    expect(log).toMatchObject({
      status: "succeeded", mode: "full", started_by: "test", trades_read: 7, allocations_written: 3,
      unmatched_sells: 2, invalid_trades: 1, review_items_opened: 3,
    });
    expect(log!.finished_at).not.toBeNull();
    expect(log!.duration_ms).toBeGreaterThanOrEqual(0);
  });
});

describe("closing the loop", () => {
  test("a missing buy added before the sell closes the item, naming the run", async () => {
    await insertTrades(t.db, [
      { symbol: "ETH-USD", side: "buy", size: "3", price: "3500", time: "2024-12-31T00:00:00Z", source: "manual" },
    ]);
    const summary = await run();
    expect(summary.reviewItemsClosed).toBe(1);
    const [item] = await t.db.query<{ status: string; resolution_type: string; closed_by_computation_id: number }>(
      "SELECT status, resolution_type, closed_by_computation_id FROM manual_review_queue WHERE trade_id = 6",
    );
    expect(item).toEqual({ status: "resolved", resolution_type: "auto_resolved", closed_by_computation_id: summary.runId });
    const history = await t.db.query<{ action: string; computation_id: number }>(
      "SELECT h.action, h.computation_id FROM manual_review_history h JOIN manual_review_queue q ON q.id = h.item_id WHERE q.trade_id = 6 ORDER BY h.id",
    );
    expect(history.map((h) => h.action)).toEqual(["opened", "auto_resolved"]);
    expect(history[1]!.computation_id).toBe(summary.runId);
    const unmatched = await t.db.query("SELECT 1 FROM fifo_unmatched_sells WHERE allocation_version = 1 AND sell_trade_id = 6");
    expect(unmatched).toEqual([]);
  });
});

describe("safety", () => {
  test("a second run of a busy version is refused with a clear message", async () => {
    const busy = await createRun(t.db, { version: 7, symbols: null, mode: "full", startedBy: "someone" });
    await expect(enqueueRun(t.db, { version: 7, symbols: null, mode: "full", startedBy: "test" })).rejects.toThrow(RunConflictError);
    await expect(enqueueRun(t.db, { version: 7, symbols: null, mode: "full", startedBy: "test" })).rejects.toThrow(
      new RegExp(`run #${busy} \\(queued\\), started by someone`),
    );
    await t.db.query("UPDATE fifo_computation_log SET status = 'cancelled' WHERE id = $1", [busy]);
  });

  test("a cancelled run leaves the previous allocations intact", async () => {
    const before = await allocationRows(t.db, 1);
    await insertTrades(t.db, [{ side: "sell", size: "0.1", price: "150", time: "2025-02-01T00:00:00Z" }]);
    const abort = new AbortController();
    const summary = await run(1, {}); // baseline rerun including the new sell
    expect(summary.status).toBe("succeeded");
    const afterRerun = await allocationRows(t.db, 1);
    expect(afterRerun).toEqual(before); // the new sell is wholly unmatched: no new allocation rows
    await insertTrades(t.db, [{ side: "buy", size: "5", price: "90", time: "2024-12-01T00:00:00Z" }]);
    const cancelled = await computeAllocations(
      t.db,
      { version: 1, symbols: null, mode: "full", startedBy: "test" },
      { signal: abort.signal, onProgress: () => abort.abort() },
    );
    expect(cancelled.status).toBe("cancelled");
    expect(cancelled.errors.join(" ")).toMatch(/cancelled/);
    expect(await allocationRows(t.db, 1)).toEqual(before);
  });

  test("a run of chosen symbols leaves the other symbols' results alone", async () => {
    const eth = (await allocationRows(t.db, 1)).filter((r) => r.symbol === "ETH-USD");
    const summary = await computeAllocations(t.db, { version: 1, symbols: ["BTC-USD"], mode: "full", startedBy: "test" });
    expect(summary.status).toBe("succeeded");
    const after = await allocationRows(t.db, 1);
    expect(after.filter((r) => r.symbol === "ETH-USD")).toEqual(eth);
    // BTC now has the backdated buy of 5 at 90 first in line
    expect(after.find((r) => r.symbol === "BTC-USD")).toMatchObject({ buy_price: "90" });
  });
});
