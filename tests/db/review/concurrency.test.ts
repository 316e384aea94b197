// Two reviewers acting on the same item at the same time, through two real connections: exactly
// one change wins, the other gets "Changed by <who> at <time>; reload to see the change.", and
// nothing is lost or doubled (one history row, one manual buy).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { recordManualCostBasis } from "@/db/review/cost-basis";
import { changeReviewItem } from "@/db/review/transitions";
import type { SqlClient } from "@/db/sql-client";
import { ReviewConflictError } from "@/lib/review/errors";
import { createTestDatabase, usingRealServer, type TestDatabase } from "../../helpers/database";
import { historyOf, itemState, makeUser, unmatchedSellItem } from "./fixtures";

// PGlite is one in-process connection: two sessions cannot interleave there, so this needs the
// real server (TEST_DATABASE_URL). The single-connection conflict is covered in transitions.test.ts.
describe.skipIf(!usingRealServer)(
  "two reviewers, two connections (skipped on PGlite: one in-process connection cannot run two sessions at once)",
  () => {
  let t: TestDatabase;
  let first: SqlClient;
  let second: SqlClient;
  let alice: { id: number; email: string };
  let bob: { id: number; email: string };

  beforeAll(async () => {
    t = await createTestDatabase();
    first = t.connect();
    second = t.connect();
    alice = await makeUser(t.db, "reviewer");
    bob = await makeUser(t.db, "reviewer");
  });
  afterAll(() => t?.drop());

  /** Resolves once some session waits on a row lock of manual_review_queue. */
  async function untilSomeoneWaitsForALock() {
    for (let i = 0; i < 200; i++) {
      const [row] = await t.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      if (row!.n > 0) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error("the second reviewer never waited for the first one's lock");
  }

  test("the second writer waits for the first, then gets the conflict; one history row", async () => {
    const { item } = await unmatchedSellItem(t.db);
    let commitFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => (commitFirst = resolve));
    // Alice's change is made but not committed yet...
    const aliceDone = first.transaction(async (tx) => {
      const changed = await changeReviewItem(tx, { id: item.id, rowVersion: 1 }, { action: "claim" }, alice);
      await firstMayCommit;
      return changed;
    });
    await new Promise((r) => setTimeout(r, 100));
    // ...while Bob, who read the same row_version, dismisses it.
    const bobDone = changeReviewItem(
      second,
      { id: item.id, rowVersion: 1 },
      { action: "dismiss", reason: "not_a_problem", notes: "looks fine" },
      bob,
    ).catch((e: unknown) => e);
    await untilSomeoneWaitsForALock();
    commitFirst();

    expect((await aliceDone).row_version).toBe(2);
    const bobError = await bobDone;
    expect(bobError).toBeInstanceOf(ReviewConflictError);
    expect((bobError as Error).message).toMatch(
      new RegExp(`^Changed by ${alice.email.replace(".", "\\.")} at \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} UTC; reload to see the change\\.$`),
    );
    expect(await itemState(t.db, item.id)).toMatchObject({ status: "in_review", assigned_to: alice.id, row_version: 2 });
    expect((await historyOf(t.db, item.id)).map((h) => [h.action, h.actor_label])).toEqual([
      ["opened", "test fixture"],
      ["claimed", alice.email],
    ]);
  });

  test("racing without any orchestration: exactly one of two resolutions wins", async () => {
    for (let round = 0; round < 5; round++) {
      const { item } = await unmatchedSellItem(t.db);
      const results = await Promise.allSettled([
        changeReviewItem(first, { id: item.id, rowVersion: 1 }, { action: "resolve", resolutionType: "accepted", notes: "alice" }, alice),
        changeReviewItem(second, { id: item.id, rowVersion: 1 }, { action: "dismiss", reason: "not_a_problem", notes: "bob" }, bob),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const rejected = results.filter((r) => r.status === "rejected");
      expect(rejected).toHaveLength(1);
      expect((rejected[0] as PromiseRejectedResult).reason).toBeInstanceOf(ReviewConflictError);
      const history = await historyOf(t.db, item.id);
      expect(history).toHaveLength(2);
      expect((await itemState(t.db, item.id)).row_version).toBe(2);
    }
  });

  test("two reviewers recording the missing buy at once: one manual buy is kept, the other gets the conflict", async () => {
    const { sellId, item } = await unmatchedSellItem(t.db, { symbol: "ETH-USD", size: "1", price: "2000" });
    const buy = (notes: string) => ({ size: "1", price: "1500", feeUsd: "0", orderTime: "2025-03-01T00:00:00Z", notes });
    const results = await Promise.allSettled([
      recordManualCostBasis(first, { id: item.id, rowVersion: 1 }, buy("from the exchange export"), alice),
      recordManualCostBasis(second, { id: item.id, rowVersion: 1 }, buy("from the wallet"), bob),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toBeInstanceOf(ReviewConflictError);
    const manual = await t.db.query<{ id: number }>(
      "SELECT id FROM fifo_manual_trades WHERE symbol = 'ETH-USD' AND sell_trade_id = $1",
      [sellId],
    );
    expect(manual).toHaveLength(1);
    expect(await itemState(t.db, item.id)).toMatchObject({ status: "resolved", manual_trade_id: manual[0]!.id });
  });
});
