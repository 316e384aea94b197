// Accepting a cause for a version settles its items now and in later runs; undoing it reopens
// them; the decision and each item's change stay in the history.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { causeSummary } from "@/db/queries/discrepancy-causes";
import { acceptCause, causeDecisions, undoCauseDecision } from "@/db/review/cause-decisions";
import { createUser } from "@/db/users";
import { computeAllocations } from "@/lib/compute/run-computation";
import { ReviewRefusedError } from "@/lib/review/errors";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertTrades } from "../helpers/trades";

let t: TestDatabase;
let reviewer: { id: number; email: string };
const run = async () => {
  const summary = await computeAllocations(t.db, { version: 1, symbols: null, mode: "full", startedBy: "test" });
  expect(summary.status).toBe("succeeded");
  return summary;
};
const at = (n: number) => `2025-01-01T00:${String(n).padStart(2, "0")}:00Z`;

/** The version's pnl_discrepancy items as [trade, status, resolution]. */
async function items() {
  const rows = await t.db.query<{ trade_id: number; status: string; resolution_type: string | null }>(
    `SELECT trade_id, status, resolution_type FROM manual_review_queue
     WHERE allocation_version = 1 AND issue_type = 'pnl_discrepancy' ORDER BY trade_id, id`,
  );
  return rows.map((r) => [r.trade_id, r.status, r.resolution_type]);
}

beforeAll(async () => {
  t = await createTestDatabase();
  reviewer = await createUser(t.db, { email: "rita@example.com", password: "reviewer-pass-1", role: "reviewer" }, { cost: 4 });
  await insertTrades(t.db, [
    { id: 1, side: "buy", size: "10", price: "100", time: at(1) },
    { id: 2, side: "buy", size: "10", price: "300", time: at(2) },
    { id: 3, side: "sell", size: "10", price: "300", time: at(3), parentId: 1, oldPnl: "2000" }, // same as new
    // stale lot, large: old 10 * (400 - 100) = 3000, new 10 * (400 - 300) = 1000
    { id: 4, side: "sell", size: "10", price: "400", time: at(4), parentId: 1, oldPnl: "3000" },
    { id: 5, side: "buy", size: "1", price: "300", time: at(5) },
    { id: 6, side: "buy", size: "1", price: "301", time: at(6) },
    // stale lot, small: old 210, new 10 (no item of its own)
    { id: 7, side: "sell", size: "1", price: "310", time: at(7), parentId: 1, oldPnl: "210" },
    // same lot and size, old 5 vs gross 19: unexplained
    { id: 8, side: "sell", size: "1", price: "320", time: at(8), parentId: 6, oldPnl: "5" },
  ]);
});
afterAll(() => t.drop());

describe("accepting a cause", () => {
  test("a first run opens items only for the large difference and the unexplained one", async () => {
    await run();
    expect(await items()).toEqual([
      [4, "pending", null],
      [8, "pending", null],
    ]);
    const causes = await t.db.query<{ sell_trade_id: number; cause: string }>(
      "SELECT sell_trade_id, cause FROM fifo_pnl_differences WHERE allocation_version = 1 ORDER BY 1",
    );
    expect(causes).toEqual([
      { sell_trade_id: 4, cause: "stale_lot" },
      { sell_trade_id: 7, cause: "stale_lot" },
      { sell_trade_id: 8, cause: "unexplained" },
    ]);
  });

  test("the cause summary gives each cause's sells, totals and largest differences (written by the run)", async () => {
    const summary = await causeSummary(t.db, 1);
    expect(summary.map(({ cause, sells, totalDifferenceUsd, largestAbsDifferenceUsd, examples, openItems }) => ({
      cause, sells, totalDifferenceUsd, largestAbsDifferenceUsd, examples, openItems,
    }))).toEqual([
      {
        cause: "stale_lot", sells: 2, totalDifferenceUsd: "-2200", largestAbsDifferenceUsd: "2000", openItems: 1,
        examples: [
          { tradeId: 4, symbol: "BTC-USD", differenceUsd: "-2000" },
          { tradeId: 7, symbol: "BTC-USD", differenceUsd: "-200" },
        ],
      },
      {
        cause: "unexplained", sells: 1, totalDifferenceUsd: "14", largestAbsDifferenceUsd: "14", openItems: 1,
        examples: [{ tradeId: 8, symbol: "BTC-USD", differenceUsd: "14" }],
      },
    ]);
  });

  test("an unexplained cause cannot be accepted", async () => {
    await expect(acceptCause(t.db, { version: 1, cause: "unexplained", reason: "no" }, reviewer)).rejects.toThrow(ReviewRefusedError);
  });

  test("accepting settles the cause's open items, with who, when and why in the history", async () => {
    const { settled } = await acceptCause(t.db, { version: 1, cause: "stale_lot", reason: "old cache drift" }, reviewer);
    expect(settled).toBe(1);
    expect(await items()).toEqual([
      [4, "resolved", "cause_accepted"],
      [8, "pending", null],
    ]);
    const history = await t.db.query<{ action: string; actor_label: string; notes: string }>(
      `SELECT h.action, h.actor_label, h.notes FROM manual_review_history h JOIN manual_review_queue q ON q.id = h.item_id
       WHERE q.trade_id = 4 ORDER BY h.id`,
    );
    expect(history.map((h) => h.action)).toEqual(["opened", "cause_accepted"]);
    expect(history[1]).toMatchObject({ actor_label: "rita@example.com", notes: 'Cause "stale_lot" accepted: old cache drift' });
    await expect(acceptCause(t.db, { version: 1, cause: "stale_lot", reason: "again" }, reviewer)).rejects.toThrow(/already accepted/);
  });

  test("later runs open nothing for an accepted cause, and the settled item stays settled", async () => {
    await insertTrades(t.db, [
      { id: 9, side: "buy", size: "10", price: "500", time: at(9) },
      { id: 10, side: "buy", size: "10", price: "900", time: at(10) },
      { id: 11, side: "sell", size: "10", price: "1000", time: at(11), parentId: 2, oldPnl: "7000" }, // stale, large
    ]);
    const summary = await run();
    expect(summary.reviewItemsOpened).toBe(0);
    expect(await items()).toEqual([
      [4, "resolved", "cause_accepted"],
      [8, "pending", null],
    ]);
    const [listed] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM v_allocation_discrepancies
       WHERE allocation_version = 1 AND discrepancy_type = 'pnl_difference' AND cause = 'stale_lot'`,
    );
    expect(listed!.n).toBe(3); // settled, yet every differing sell is still listed
  });

  test("undoing reopens the settled items; the next run opens the rest", async () => {
    const [decision] = await causeDecisions(t.db, 1);
    const { reopened } = await undoCauseDecision(t.db, { decisionId: decision!.id, reason: "wrong call" }, reviewer);
    expect(reopened).toBe(1);
    expect(await items()).toEqual([
      [4, "pending", null],
      [8, "pending", null],
    ]);
    const summary = await run();
    expect(summary.reviewItemsOpened).toBe(1);
    expect(await items()).toEqual([
      [4, "pending", null],
      [8, "pending", null],
      [11, "pending", null],
    ]);
    const [after] = await causeDecisions(t.db, 1);
    expect(after).toMatchObject({ cause: "stale_lot", undone_by_label: "rita@example.com", undo_reason: "wrong call", settled_items: 1 });
    await expect(undoCauseDecision(t.db, { decisionId: decision!.id, reason: "twice" }, reviewer)).rejects.toThrow(/already undone/);
  });

  test("accepting again after an undo is a new decision, and settles both", async () => {
    const { settled } = await acceptCause(t.db, { version: 1, cause: "stale_lot", reason: "reviewed the examples" }, reviewer);
    expect(settled).toBe(2);
    expect((await causeDecisions(t.db, 1)).map((d) => [d.cause, d.undone_at === null])).toEqual([
      ["stale_lot", true],
      ["stale_lot", false],
    ]);
    await run();
    expect(await items()).toEqual([
      [4, "resolved", "cause_accepted"],
      [8, "pending", null],
      [11, "resolved", "cause_accepted"],
    ]);
  });
});
