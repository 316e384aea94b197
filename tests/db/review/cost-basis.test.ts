// Closing the loop: a sell the run could not cover opens an unmatched_sell item; the reviewer
// records the missing buy; the next recompute uses it, the sell is fully matched, and the item
// stays resolved (naming the reviewer, not the run).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { recordManualCostBasis } from "@/db/review/cost-basis";
import { ReviewConflictError, ReviewRefusedError } from "@/lib/review/errors";
import { computeAllocations } from "@/lib/compute/run-computation";
import { createTestDatabase, type TestDatabase } from "../../helpers/database";
import { historyOf, insertTrades, itemState, makeUser, unmatchedSellItem } from "./fixtures";

let t: TestDatabase;
let alice: { id: number; email: string };

beforeAll(async () => {
  t = await createTestDatabase();
  alice = await makeUser(t.db, "reviewer");
});
afterAll(() => t.drop());

const buy = (over: Partial<{ size: string; price: string; feeUsd: string; orderTime: string; notes: string }> = {}) => ({
  size: "2",
  price: "90",
  feeUsd: "0.5",
  orderTime: "2025-03-01T00:00:00Z",
  notes: "bought on another exchange, see statement 2025-03",
  ...over,
});

describe("recording the missing cost basis", () => {
  test("inserts a filled manual buy of the same symbol, links it, and resolves the item", async () => {
    const { item } = await unmatchedSellItem(t.db, { symbol: "SOL-USD", size: "2", unmatched: "2" });
    const outcome = await recordManualCostBasis(t.db, { id: item.id, rowVersion: 1 }, buy(), alice);
    const [manual] = await t.db.query(
      "SELECT symbol, side, size, price, fee_usd, order_time, status, source FROM fifo_trades WHERE id = $1",
      [outcome.manual_trade_id],
    );
    expect(manual).toEqual({
      symbol: "SOL-USD",
      side: "buy",
      size: "2",
      price: "90",
      fee_usd: "0.5",
      order_time: "2025-03-01 00:00:00+00",
      status: "filled",
      source: "manual",
    });
    expect(await itemState(t.db, item.id)).toMatchObject({
      status: "resolved",
      resolution_type: "cost_basis_recorded",
      resolution_notes: "bought on another exchange, see statement 2025-03",
      manual_trade_id: outcome.manual_trade_id,
      resolved_by: alice.id,
      row_version: 2,
    });
    const last = (await historyOf(t.db, item.id)).at(-1)!;
    expect(last).toMatchObject({ action: "resolved", from_status: "pending", to_status: "resolved", actor_label: alice.email });
    expect(last.details).toMatchObject({
      resolutionType: "cost_basis_recorded",
      manualTradeId: outcome.manual_trade_id,
      size: "2",
      price: "90",
      feeUsd: "0.5",
    });
  });

  test("a buy at or after the sell is refused beside the time field, and nothing is written", async () => {
    const { item } = await unmatchedSellItem(t.db, { symbol: "ADA-USD", at: "2025-03-10T12:00:00Z" });
    const before = await t.db.query("SELECT id FROM fifo_manual_trades");
    for (const orderTime of ["2025-03-10T12:00:00Z", "2025-03-11T00:00:00Z"]) {
      const error = await recordManualCostBasis(t.db, { id: item.id, rowVersion: 1 }, buy({ orderTime }), alice).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ReviewRefusedError);
      expect((error as ReviewRefusedError).fieldErrors?.orderTime).toMatch(/^Must be before the sell \(2025-03-10 12:00:00 UTC\)/);
    }
    expect(await t.db.query("SELECT id FROM fifo_manual_trades")).toEqual(before);
    expect(await itemState(t.db, item.id)).toMatchObject({ status: "pending", row_version: 1 });
  });

  test("a size below the unmatched size is refused beside the size field", async () => {
    const { item } = await unmatchedSellItem(t.db, { symbol: "XRP-USD", size: "10", unmatched: "4" });
    const error = await recordManualCostBasis(t.db, { id: item.id, rowVersion: 1 }, buy({ size: "3.9999" }), alice).catch((e: unknown) => e);
    expect((error as ReviewRefusedError).fieldErrors?.size).toMatch(/unmatched size \(4\)/);
  });

  test("only unmatched sells take a manual buy", async () => {
    const [sell] = await insertTrades(t.db, [{ symbol: "LTC-USD", side: "sell", size: "1", price: "80", at: "2025-02-01T00:00:00Z" }]);
    const [row] = await t.db.query<{ id: number }>(
      `INSERT INTO manual_review_queue (allocation_version, trade_id, symbol, issue_type, severity)
       VALUES (1, $1, 'LTC-USD', 'pnl_discrepancy', 'medium') RETURNING id`,
      [sell],
    );
    await expect(recordManualCostBasis(t.db, { id: row!.id, rowVersion: 1 }, buy({ orderTime: "2025-01-01T00:00:00Z" }), alice)).rejects.toThrow(
      /only be recorded for an unmatched sell/,
    );
  });

  test("a stale row_version conflicts before any other check, and no buy is kept", async () => {
    const { item } = await unmatchedSellItem(t.db, { symbol: "DOT-USD" });
    await t.db.query("UPDATE manual_review_queue SET row_version = 2 WHERE id = $1", [item.id]);
    const count = async () => (await t.db.query("SELECT id FROM fifo_manual_trades")).length;
    const before = await count();
    await expect(recordManualCostBasis(t.db, { id: item.id, rowVersion: 1 }, buy({ orderTime: "2030-01-01T00:00:00Z" }), alice)).rejects.toBeInstanceOf(
      ReviewConflictError,
    );
    expect(await count()).toBe(before);
  });
});

describe("the next recompute uses the manual buy", () => {
  test("unmatched sell -> record buy + resolve -> recompute: fully matched, item stays resolved", async () => {
    // A tiny ledger: one buy of 1 AVAX, then a sell of 3 AVAX. 2 AVAX have no cost basis.
    const [firstBuy, sell] = await insertTrades(t.db, [
      { symbol: "AVAX-USD", side: "buy", size: "1", price: "20", at: "2025-03-01T10:00:00Z" },
      { symbol: "AVAX-USD", side: "sell", size: "3", price: "30", at: "2025-03-05T10:00:00Z" },
    ]);
    const run1 = await computeAllocations(t.db, { version: 7, symbols: ["AVAX-USD"], mode: "full", startedBy: "test" });
    expect(run1.status).toBe("succeeded");
    const [item] = await t.db.query<{ id: number; row_version: number; unmatched_size: string; status: string; opened_by_computation_id: number }>(
      `SELECT id, row_version, unmatched_size, status, opened_by_computation_id FROM manual_review_queue
       WHERE allocation_version = 7 AND trade_id = $1 AND issue_type = 'unmatched_sell'`,
      [sell],
    );
    expect(item).toMatchObject({ unmatched_size: "2", status: "pending", opened_by_computation_id: run1.runId });

    const outcome = await recordManualCostBasis(
      t.db,
      { id: item!.id, rowVersion: item!.row_version },
      buy({ size: "2", price: "25", feeUsd: "0", orderTime: "2025-03-04T09:00:00Z" }),
      alice,
    );

    const run2 = await computeAllocations(t.db, { version: 7, symbols: ["AVAX-USD"], mode: "full", startedBy: "test" });
    expect(run2.status).toBe("succeeded");
    const lots = await t.db.query(
      `SELECT buy_trade_id, allocated_size, pnl_usd FROM fifo_allocations
       WHERE allocation_version = 7 AND sell_trade_id = $1 ORDER BY buy_time, buy_trade_id`,
      [sell],
    );
    expect(lots).toEqual([
      { buy_trade_id: firstBuy, allocated_size: "1", pnl_usd: "10" },
      { buy_trade_id: outcome.manual_trade_id, allocated_size: "2", pnl_usd: "10" },
    ]);
    expect(await t.db.query("SELECT * FROM fifo_unmatched_sells WHERE allocation_version = 7 AND sell_trade_id = $1", [sell])).toEqual([]);
    expect(await itemState(t.db, item!.id)).toMatchObject({
      status: "resolved",
      resolution_type: "cost_basis_recorded",
      manual_trade_id: outcome.manual_trade_id,
    });
    const items = await t.db.query("SELECT id FROM manual_review_queue WHERE allocation_version = 7 AND trade_id = $1", [sell]);
    expect(items).toHaveLength(1);
    // The history: opened by run 1, resolved by the reviewer; run 2 did not touch it.
    expect((await historyOf(t.db, item!.id)).map((h) => [h.action, h.actor_label])).toEqual([
      ["opened", `run #${run1.runId}`],
      ["resolved", alice.email],
    ]);
  });
});
