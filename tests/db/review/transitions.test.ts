// Every transition of the review workflow, allowed and refused, with the history rows it leaves.
// pending -> in_review -> resolved | dismissed; reopen -> pending. Stale row_versions conflict.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { changeReviewItem, changeReviewItems, type ReviewChange } from "@/db/review/transitions";
import { ReviewConflictError, ReviewRefusedError } from "@/lib/review/errors";
import { TRANSITIONS, type ReviewAction, type ReviewStatus } from "@/lib/review/workflow";
import { createTestDatabase, type TestDatabase } from "../../helpers/database";
import { historyOf, insertItem, insertTrades, itemState, makeUser, unmatchedSellItem } from "./fixtures";

let t: TestDatabase;
let alice: { id: number; email: string };
let bob: { id: number; email: string };
let viewer: { id: number; email: string };

beforeAll(async () => {
  t = await createTestDatabase();
  alice = await makeUser(t.db, "reviewer");
  bob = await makeUser(t.db, "admin");
  viewer = await makeUser(t.db, "viewer");
});
afterAll(() => t.drop());

const CHANGES: Record<ReviewAction, () => ReviewChange> = {
  claim: () => ({ action: "claim" }),
  take_over: () => ({ action: "take_over", notes: "alice is away" }),
  assign: () => ({ action: "assign", assigneeId: bob.id, notes: "bob knows this account" }),
  release: () => ({ action: "release", notes: "not mine" }),
  resolve: () => ({ action: "resolve", resolutionType: "accepted", notes: "airdrop, cost basis zero" }),
  dismiss: () => ({ action: "dismiss", reason: "not_a_problem", notes: "test account" }),
  reopen: () => ({ action: "reopen", notes: "auditor asked again" }),
};

const STATUSES: ReviewStatus[] = ["pending", "in_review", "resolved", "dismissed"];

async function itemIn(status: ReviewStatus) {
  const { item } = await unmatchedSellItem(t.db);
  if (status !== "pending") {
    await t.db.query(
      `UPDATE manual_review_queue SET status = $2, assigned_to = CASE WHEN $2 = 'in_review' THEN $3::bigint END,
         resolution_type = CASE WHEN $2 IN ('resolved', 'dismissed') THEN 'accepted' END
       WHERE id = $1`,
      [item.id, status, alice.id],
    );
  }
  return item;
}

describe("the transition table, on real rows", () => {
  for (const action of Object.keys(TRANSITIONS) as ReviewAction[]) {
    for (const status of STATUSES) {
      const allowed = (TRANSITIONS[action].from as readonly string[]).includes(status);
      test(`${action} from ${status} is ${allowed ? "allowed" : "refused"}`, async () => {
        const item = await itemIn(status);
        const before = await historyOf(t.db, item.id);
        const attempt = changeReviewItem(t.db, { id: item.id, rowVersion: item.row_version }, CHANGES[action](), alice);
        if (!allowed) {
          await expect(attempt).rejects.toBeInstanceOf(ReviewRefusedError);
          const after = await itemState(t.db, item.id);
          expect(after.status).toBe(status);
          expect(after.row_version).toBe(item.row_version);
          expect(await historyOf(t.db, item.id)).toHaveLength(before.length);
          return;
        }
        const changed = await attempt;
        expect(changed.to_status).toBe(TRANSITIONS[action].to);
        expect(changed.row_version).toBe(item.row_version + 1);
        const history = await historyOf(t.db, item.id);
        expect(history).toHaveLength(before.length + 1);
        expect(history.at(-1)).toMatchObject({
          action: TRANSITIONS[action].historyAction,
          from_status: status,
          to_status: TRANSITIONS[action].to,
          actor_user_id: alice.id,
          actor_label: alice.email,
        });
      });
    }
  }
});

describe("what each change records", () => {
  test("claim assigns the item to the reviewer", async () => {
    const { item } = await unmatchedSellItem(t.db);
    await changeReviewItem(t.db, { id: item.id, rowVersion: 1 }, { action: "claim" }, alice);
    expect(await itemState(t.db, item.id)).toMatchObject({ status: "in_review", assigned_to: alice.id, row_version: 2 });
  });

  test("assign hands an item in review over to another reviewer, naming them in the history", async () => {
    const { item } = await unmatchedSellItem(t.db);
    await changeReviewItem(t.db, { id: item.id, rowVersion: 1 }, { action: "claim" }, alice);
    await changeReviewItem(t.db, { id: item.id, rowVersion: 2 }, CHANGES.assign(), alice);
    expect(await itemState(t.db, item.id)).toMatchObject({ status: "in_review", assigned_to: bob.id, row_version: 3 });
    const last = (await historyOf(t.db, item.id)).at(-1)!;
    expect(last).toMatchObject({ action: "assigned", from_status: "in_review", to_status: "in_review" });
    expect(last.details).toMatchObject({ assigneeId: bob.id, assigneeEmail: bob.email });
    expect(last.notes).toBe("bob knows this account");
  });

  test("assign refuses a viewer as assignee, and changes nothing", async () => {
    const { item } = await unmatchedSellItem(t.db);
    const error = await changeReviewItem(
      t.db,
      { id: item.id, rowVersion: 1 },
      { action: "assign", assigneeId: viewer.id },
      alice,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReviewRefusedError);
    expect((error as ReviewRefusedError).fieldErrors).toHaveProperty("assigneeId");
    expect(await itemState(t.db, item.id)).toMatchObject({ status: "pending", row_version: 1 });
  });

  test("resolve stores resolution type, notes, who and when; release and reopen clear what they should", async () => {
    const { item } = await unmatchedSellItem(t.db);
    await changeReviewItem(t.db, { id: item.id, rowVersion: 1 }, { action: "claim" }, alice);
    await changeReviewItem(t.db, { id: item.id, rowVersion: 2 }, { action: "release" }, alice);
    expect(await itemState(t.db, item.id)).toMatchObject({ status: "pending", assigned_to: null });
    await changeReviewItem(t.db, { id: item.id, rowVersion: 3 }, CHANGES.resolve(), alice);
    const resolved = await itemState(t.db, item.id);
    expect(resolved).toMatchObject({
      status: "resolved",
      resolution_type: "accepted",
      resolution_notes: "airdrop, cost basis zero",
      resolved_by: alice.id,
    });
    expect(resolved.resolved_at).not.toBeNull();
    await changeReviewItem(t.db, { id: item.id, rowVersion: 4 }, CHANGES.reopen(), bob);
    expect(await itemState(t.db, item.id)).toMatchObject({
      status: "pending",
      resolution_type: null,
      resolution_notes: null,
      resolved_by: null,
      resolved_at: null,
      row_version: 5,
    });
    // The auditor's trail: every step, who, and why.
    expect((await historyOf(t.db, item.id)).map((h) => [h.action, h.from_status, h.to_status, h.actor_label, h.notes])).toEqual([
      ["opened", null, "pending", "test fixture", "opened by the fixture"],
      ["claimed", "pending", "in_review", alice.email, null],
      ["released", "in_review", "pending", alice.email, null],
      ["resolved", "pending", "resolved", alice.email, "airdrop, cost basis zero"],
      ["reopened", "resolved", "pending", bob.email, "auditor asked again"],
    ]);
  });

  test("dismiss stores the reason as the resolution type", async () => {
    const { item } = await unmatchedSellItem(t.db);
    await changeReviewItem(t.db, { id: item.id, rowVersion: 1 }, { action: "dismiss", reason: "duplicate", notes: "see #1" }, alice);
    expect(await itemState(t.db, item.id)).toMatchObject({ status: "dismissed", resolution_type: "duplicate", resolution_notes: "see #1" });
    expect((await historyOf(t.db, item.id)).at(-1)!.details).toEqual({ reason: "duplicate" });
  });

  test("a resolution type that does not fit the issue is refused (explained is for PnL discrepancies)", async () => {
    const { item } = await unmatchedSellItem(t.db);
    await expect(
      changeReviewItem(t.db, { id: item.id, rowVersion: 1 }, { action: "resolve", resolutionType: "explained", notes: "fine" }, alice),
    ).rejects.toThrow(/does not apply/);
    const [sell] = await insertTrades(t.db, [{ symbol: "ETH-USD", side: "sell", size: "1", price: "2000", at: "2025-01-01T00:00:00Z", pnlUsd: "50" }]);
    const discrepancy = await insertItem(t.db, {
      tradeId: sell!,
      symbol: "ETH-USD",
      issueType: "pnl_discrepancy",
      oldPnlUsd: "50",
      newPnlUsd: "-20",
    });
    await changeReviewItem(
      t.db,
      { id: discrepancy.id, rowVersion: 1 },
      { action: "resolve", resolutionType: "explained", notes: "old code matched the wrong buy" },
      alice,
    );
    expect(await itemState(t.db, discrepancy.id)).toMatchObject({ status: "resolved", resolution_type: "explained" });
  });

  test("reopening is refused while another open item exists for the same trade and issue", async () => {
    const { sellId, item } = await unmatchedSellItem(t.db);
    await changeReviewItem(t.db, { id: item.id, rowVersion: 1 }, CHANGES.dismiss(), alice);
    const twin = await insertItem(t.db, { tradeId: sellId, symbol: "BTC-USD" });
    await expect(changeReviewItem(t.db, { id: item.id, rowVersion: 2 }, CHANGES.reopen(), alice)).rejects.toThrow(
      /another open item exists/,
    );
    expect(await itemState(t.db, twin.id)).toMatchObject({ status: "pending" });
    expect(await itemState(t.db, item.id)).toMatchObject({ status: "dismissed", row_version: 2 });
  });

  test("an item that does not exist is refused", async () => {
    await expect(changeReviewItem(t.db, { id: 987654, rowVersion: 1 }, { action: "claim" }, alice)).rejects.toThrow(
      /does not exist/,
    );
  });
});

describe("optimistic concurrency (one connection, one after the other)", () => {
  test("a change sent with a stale row_version is refused with who changed it and when; nothing else changes", async () => {
    const { item } = await unmatchedSellItem(t.db);
    await changeReviewItem(t.db, { id: item.id, rowVersion: 1 }, { action: "claim" }, alice);
    const error = await changeReviewItem(t.db, { id: item.id, rowVersion: 1 }, CHANGES.dismiss(), bob).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReviewConflictError);
    expect((error as Error).message).toMatch(
      new RegExp(`^Changed by ${alice.email.replace(".", "\\.")} at \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} UTC; reload to see the change\\.$`),
    );
    expect(await itemState(t.db, item.id)).toMatchObject({ status: "in_review", assigned_to: alice.id, row_version: 2 });
    expect((await historyOf(t.db, item.id)).map((h) => h.action)).toEqual(["opened", "claimed"]);
  });

  test("a run closing the item also makes a reviewer's stale change conflict, naming the run", async () => {
    const { item } = await unmatchedSellItem(t.db);
    const [run] = await t.db.query<{ id: number }>(
      `INSERT INTO fifo_computation_log (allocation_version, started_by, status) VALUES (1, 'test', 'succeeded') RETURNING id`,
    );
    await t.db.query(
      `UPDATE manual_review_queue SET status = 'resolved', resolution_type = 'auto_resolved', closed_by_computation_id = $2,
         row_version = row_version + 1 WHERE id = $1`,
      [item.id, run!.id],
    );
    await t.db.query(
      `INSERT INTO manual_review_history (item_id, action, from_status, to_status, actor_label, computation_id)
       VALUES ($1, 'auto_resolved', 'pending', 'resolved', $2, $3)`,
      [item.id, `run #${run!.id}`, run!.id],
    );
    await expect(changeReviewItem(t.db, { id: item.id, rowVersion: 1 }, { action: "claim" }, alice)).rejects.toThrow(
      `Changed by run #${run!.id} at`,
    );
  });
});

describe("bulk changes", () => {
  test("apply to the items that allow it, and report the rest without touching them", async () => {
    const a = (await unmatchedSellItem(t.db)).item;
    const b = (await unmatchedSellItem(t.db)).item;
    const c = (await unmatchedSellItem(t.db)).item;
    await changeReviewItem(t.db, { id: b.id, rowVersion: 1 }, { action: "claim" }, bob); // b moved on: stale below
    await changeReviewItem(t.db, { id: c.id, rowVersion: 1 }, CHANGES.dismiss(), bob); // c closed: refused below
    const outcome = await changeReviewItems(
      t.db,
      [
        { id: a.id, rowVersion: 1 },
        { id: b.id, rowVersion: 1 },
        { id: c.id, rowVersion: 2 },
      ],
      { action: "claim" },
      alice,
    );
    expect(outcome.changed.map((x) => x.id)).toEqual([a.id]);
    expect(outcome.skipped).toEqual([
      { id: b.id, conflict: true, reason: expect.stringMatching(/^Changed by .* reload to see the change\.$/) },
      { id: c.id, conflict: false, reason: expect.stringMatching(/this one is dismissed/) },
    ]);
    expect(await itemState(t.db, b.id)).toMatchObject({ assigned_to: bob.id, row_version: 2 });
    expect((await historyOf(t.db, a.id)).at(-1)).toMatchObject({ action: "claimed", actor_user_id: alice.id });
  });

  test("dismissing dust only dismisses items below the dust size", async () => {
    const dust = (await unmatchedSellItem(t.db, { symbol: "DOGE-USD", price: "0.1", unmatched: "3", size: "3", severity: "low" })).item;
    const real = (await unmatchedSellItem(t.db, { symbol: "DOGE-USD", price: "0.1", unmatched: "50", size: "50", severity: "low" })).item;
    const outcome = await changeReviewItems(
      t.db,
      [
        { id: dust.id, rowVersion: 1 },
        { id: real.id, rowVersion: 1 },
      ],
      { action: "dismiss", reason: "dust", onlyDust: { dustNotionalUsd: "1" } },
      alice,
    );
    expect(outcome.changed.map((x) => x.id)).toEqual([dust.id]);
    expect(outcome.skipped).toEqual([{ id: real.id, conflict: false, reason: expect.stringMatching(/not dust/) }]);
    expect(await itemState(t.db, dust.id)).toMatchObject({ status: "dismissed", resolution_type: "dust" });
    expect(await itemState(t.db, real.id)).toMatchObject({ status: "pending" });
  });
});
