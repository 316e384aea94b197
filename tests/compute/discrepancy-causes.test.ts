// Why a sell's old PnL differs from its new one: one tiny history per cause, run for real and read
// back from v_allocation_discrepancies (the cause column) and fifo_pnl_differences.
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { computeAllocations } from "@/lib/compute/run-computation";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertTrades, type TradeSpec } from "../helpers/trades";

let t: TestDatabase;
beforeEach(async () => {
  t = await createTestDatabase();
});
afterEach(() => t.drop());

/** Trade n at minute n of 2025-01-01. */
const at = (n: number) => `2025-01-01T00:${String(n).padStart(2, "0")}:00Z`;
const buy = (id: number, size: string, price: string, fee = "0", extra: Partial<TradeSpec> = {}): TradeSpec =>
  ({ id, side: "buy", size, price, fee, time: at(id), ...extra });
const sell = (id: number, size: string, price: string, parentId: number | null, oldPnl: string, extra: Partial<TradeSpec> = {}): TradeSpec =>
  ({ id, side: "sell", size, price, fee: "0", time: at(id), parentId, oldPnl, ...extra });

async function causesOf(trades: TradeSpec[]): Promise<Record<number, string>> {
  await insertTrades(t.db, trades);
  const summary = await computeAllocations(t.db, { version: 1, symbols: null, mode: "full", startedBy: "test" });
  expect(summary.status).toBe("succeeded");
  const rows = await t.db.query<{ trade_id: number; cause: string }>(
    `SELECT trade_id, cause FROM v_allocation_discrepancies
     WHERE allocation_version = 1 AND discrepancy_type = 'pnl_difference' ORDER BY trade_id`,
  );
  const stored = await t.db.query<{ sell_trade_id: number; cause: string }>(
    "SELECT sell_trade_id, cause FROM fifo_pnl_differences WHERE allocation_version = 1 ORDER BY sell_trade_id",
  );
  expect(stored.map((r) => [r.sell_trade_id, r.cause])).toEqual(rows.map((r) => [r.trade_id, r.cause]));
  return Object.fromEntries(rows.map((r) => [r.trade_id, r.cause]));
}

describe("the cause of a PnL difference", () => {
  test("fees only: same lot and size, the old PnL ignored the fees", async () => {
    // new: 1 * (120 - 100) - 0.5 buy fee - 0.25 sell fee = 19.25; old 20
    expect(await causesOf([buy(1, "1", "100", "0.5"), sell(2, "1", "120", 1, "20", { fee: "0.25" })])).toEqual({ 2: "fees_only" });
  });

  test("stale lot: the old parent was used up by an earlier sell", async () => {
    // sell 3 uses up buy 1; the old system matched sell 4 to buy 1 again (at 100, not 110)
    expect(
      await causesOf([buy(1, "1", "100"), buy(2, "1", "110"), sell(3, "1", "120", 1, "20"), sell(4, "1", "130", 1, "30")]),
    ).toEqual({ 4: "stale_lot" });
  });

  test("different lot: the old parent was open, FIFO takes the older lot", async () => {
    expect(await causesOf([buy(1, "1", "100"), buy(2, "1", "110"), sell(3, "1", "120", 2, "10")])).toEqual({ 3: "different_lot" });
  });

  test("split across lots: the old system put the whole sell on one of them", async () => {
    // new: 1 * 20 + 1 * 10 = 30; old: 2 * (120 - 100) = 40
    expect(await causesOf([buy(1, "1", "100"), buy(2, "1", "110"), sell(3, "2", "120", 1, "40")])).toEqual({ 3: "split_lots" });
  });

  test("later parent: the old parent is a trade after the sell", async () => {
    expect(await causesOf([buy(1, "1", "100"), sell(2, "1", "120", 3, "30"), buy(3, "1", "90")])).toEqual({ 2: "later_parent" });
  });

  test("parent not a lot: the old parent is a cancelled buy", async () => {
    expect(
      await causesOf([buy(1, "1", "100"), buy(2, "1", "50", "0", { status: "cancelled" }), sell(3, "1", "120", 2, "70")]),
    ).toEqual({ 3: "parent_not_a_lot" });
  });

  test("unknown parent: the old parent is a trade of another symbol", async () => {
    expect(
      await causesOf([buy(1, "1", "90", "0", { symbol: "ETH-USD" }), buy(2, "1", "100"), sell(3, "1", "120", 1, "30")]),
    ).toEqual({ 3: "unknown_parent" });
  });

  test("no old match: a PnL without a parent", async () => {
    expect(await causesOf([buy(1, "1", "100"), sell(2, "1", "120", null, "5")])).toEqual({ 2: "no_old_match" });
  });

  test("new unmatched: FIFO has less inventory than the old system assumed", async () => {
    // sell 2 uses up buy 1; sell 3 has nothing left to match
    expect(
      await causesOf([buy(1, "1", "100"), sell(2, "1", "120", 1, "20"), sell(3, "1", "130", 1, "30")]),
    ).toEqual({ 3: "new_unmatched" });
  });

  test("unexplained: same lot and size, yet the old PnL is not the gross PnL", async () => {
    expect(await causesOf([buy(1, "1", "100"), sell(2, "1", "120", 1, "17")])).toEqual({ 2: "unexplained" });
  });

  test("a sell whose old PnL equals the new one has no cause and is not listed", async () => {
    expect(await causesOf([buy(1, "1", "100"), sell(2, "1", "120", 1, "20")])).toEqual({});
  });
});
