// 20 reviewers, each on their own connection, all acting at once on the same 50 items from the
// same page (row_version 1): on every item exactly one change wins, the 19 others get the conflict
// message, no update is lost (the item holds the winner's change) and no history row is doubled.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createPostgresClient } from "@/db/postgres-client";
import { changeReviewItem } from "@/db/review/transitions";
import type { SqlClient } from "@/db/sql-client";
import { ReviewConflictError } from "@/lib/review/errors";
import { createTestDatabase, usingRealServer, type TestDatabase } from "../../helpers/database";
import { historyOf, itemState, makeUser, unmatchedSellItem } from "./fixtures";

const REVIEWERS = 20;
const ITEMS = 50;

describe.runIf(usingRealServer)("20 reviewers, 50 shared items, real connections", () => {
  let t: TestDatabase;
  let sessions: SqlClient[] = [];
  let reviewers: { id: number; email: string }[] = [];
  let items: number[] = [];

  beforeAll(async () => {
    t = await createTestDatabase();
    reviewers = await Promise.all(Array.from({ length: REVIEWERS }, () => makeUser(t.db, "reviewer")));
    sessions = reviewers.map(() => createPostgresClient(t.url!, { max: 1 }));
    for (let i = 0; i < ITEMS; i++) items.push((await unmatchedSellItem(t.db)).item.id);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(sessions.map((s) => s.close()));
    await t?.drop();
  });

  test("every item: one winner, 19 conflicts, the winner's change kept, one history row for it", async () => {
    const outcomes = await Promise.all(
      reviewers.map(async (reviewer, r) => {
        // Each reviewer works through the items in their own order.
        const order = [...items].sort(() => Math.random() - 0.5);
        const mine: { item: number; won: boolean; error?: unknown }[] = [];
        for (const id of order) {
          try {
            await changeReviewItem(sessions[r]!, { id, rowVersion: 1 }, { action: "claim" }, reviewer);
            mine.push({ item: id, won: true });
          } catch (error) {
            mine.push({ item: id, won: false, error });
          }
        }
        return mine.map((o) => ({ ...o, reviewer }));
      }),
    );
    const all = outcomes.flat();
    expect(all).toHaveLength(REVIEWERS * ITEMS);
    for (const loss of all.filter((o) => !o.won)) {
      expect(loss.error).toBeInstanceOf(ReviewConflictError);
      expect((loss.error as Error).message).toMatch(/^Changed by .+ at .+; reload to see the change\.$/);
    }
    for (const id of items) {
      const winners = all.filter((o) => o.item === id && o.won);
      expect(winners, `item ${id}`).toHaveLength(1);
      const state = await itemState(t.db, id);
      expect(state).toMatchObject({ status: "in_review", assigned_to: winners[0]!.reviewer.id, row_version: 2 });
      expect((await historyOf(t.db, id)).map((h) => [h.action, h.actor_label])).toEqual([
        ["opened", "test fixture"],
        ["claimed", winners[0]!.reviewer.email],
      ]);
    }
  }, 120_000);
});
