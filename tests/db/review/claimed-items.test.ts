// A claimed item belongs to its assignee: another reviewer cannot resolve, dismiss, release or
// reassign it (nothing changes, the message names the assignee) until they take it over, which
// the history records with the previous assignee. Admins are exempt.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bulkResolve, recordCostBasis, resolveItem, takeOverItem } from "@/app/(app)/review/actions";
import { setDb } from "@/db/client";
import { changeReviewItem, changeReviewItems, type ReviewChange } from "@/db/review/transitions";
import { ReviewRefusedError } from "@/lib/review/errors";
import { signInAs } from "../../helpers/auth";
import { createTestDatabase, type TestDatabase } from "../../helpers/database";
import { historyOf, itemState, makeUser, unmatchedSellItem } from "./fixtures";

let t: TestDatabase;
type User = Awaited<ReturnType<typeof makeUser>>;
let alice: User;
let bob: User;
let admin: User;

beforeAll(async () => {
  t = await createTestDatabase();
  alice = await makeUser(t.db, "reviewer");
  bob = await makeUser(t.db, "reviewer");
  admin = await makeUser(t.db, "admin");
});
afterAll(async () => {
  setDb(undefined);
  await t.drop();
});

async function claimedByAlice() {
  const { item } = await unmatchedSellItem(t.db);
  const claimed = await changeReviewItem(t.db, { id: item.id, rowVersion: item.row_version }, { action: "claim" }, alice);
  return { id: item.id, rowVersion: claimed.row_version };
}

const form = (fields: Record<string, string>) => {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.set(k, v);
  return fd;
};

describe("another reviewer", () => {
  const refused: [string, () => ReviewChange][] = [
    ["resolve", () => ({ action: "resolve", resolutionType: "accepted", notes: "looks fine to me" })],
    ["dismiss", () => ({ action: "dismiss", reason: "not_a_problem" })],
    ["release", () => ({ action: "release" })],
    ["assign", () => ({ action: "assign", assigneeId: bob.id })],
  ];
  for (const [name, change] of refused) {
    test(`cannot ${name} an item alice claimed; nothing changes`, async () => {
      const ref = await claimedByAlice();
      const before = await historyOf(t.db, ref.id);
      await expect(changeReviewItem(t.db, ref, change(), bob)).rejects.toThrow(
        new ReviewRefusedError(`Item #${ref.id} is being reviewed by ${alice.email}; take it over first (this is recorded), or ask an admin.`),
      );
      expect(await itemState(t.db, ref.id)).toMatchObject({ status: "in_review", assigned_to: alice.id, row_version: ref.rowVersion });
      expect(await historyOf(t.db, ref.id)).toHaveLength(before.length);
    });
  }

  test("takes it over explicitly (recorded with the previous assignee), then may resolve it", async () => {
    const ref = await claimedByAlice();
    const taken = await changeReviewItem(t.db, ref, { action: "take_over", notes: "alice is on leave" }, bob);
    expect(await itemState(t.db, ref.id)).toMatchObject({ status: "in_review", assigned_to: bob.id });
    expect((await historyOf(t.db, ref.id)).at(-1)).toMatchObject({
      action: "taken_over",
      actor_user_id: bob.id,
      notes: "alice is on leave",
      details: { previousAssigneeId: alice.id },
    });
    const resolved = await changeReviewItem(t.db, { id: ref.id, rowVersion: taken.row_version }, { action: "resolve", resolutionType: "accepted", notes: "checked" }, bob);
    expect(resolved.to_status).toBe("resolved");
  });

  test("the assignee herself still works her item", async () => {
    const ref = await claimedByAlice();
    await changeReviewItem(t.db, ref, { action: "dismiss", reason: "duplicate" }, alice);
    expect((await itemState(t.db, ref.id)).status).toBe("dismissed");
  });

  test("an admin may resolve someone else's claimed item; the history names whose it was", async () => {
    const ref = await claimedByAlice();
    await changeReviewItem(t.db, ref, { action: "resolve", resolutionType: "accepted", notes: "admin decision" }, admin);
    expect(await itemState(t.db, ref.id)).toMatchObject({ status: "resolved", resolved_by: admin.id });
    expect((await historyOf(t.db, ref.id)).at(-1)).toMatchObject({ action: "resolved", details: { previousAssigneeId: alice.id } });
  });

  test("a bulk resolve skips the items others claimed and says why", async () => {
    const claimed = await claimedByAlice();
    const { item: free } = await unmatchedSellItem(t.db);
    const outcome = await changeReviewItems(
      t.db,
      [claimed, { id: free.id, rowVersion: free.row_version }],
      { action: "resolve", resolutionType: "accepted", notes: "batch" },
      bob,
    );
    expect(outcome.changed.map((c) => c.id)).toEqual([free.id]);
    expect(outcome.skipped).toEqual([{ id: claimed.id, reason: expect.stringContaining(`being reviewed by ${alice.email}`), conflict: false }]);
    expect((await itemState(t.db, claimed.id)).status).toBe("in_review");
  });
});

describe("through the server actions", () => {
  test("resolve and record-cost-basis are refused for a non-assignee, take over works, and no manual buy is written", async () => {
    const ref = await claimedByAlice();
    const bobUser = await signInAs(t.db, "reviewer", bob.email);
    expect(bobUser.id).toBe(bob.id);
    const resolve = await resolveItem(null, form({ id: String(ref.id), rowVersion: String(ref.rowVersion), resolutionType: "accepted", notes: "mine now?" }));
    expect(resolve).toMatchObject({ ok: false, error: expect.stringContaining("take it over first") });

    const manualBuys = async () => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM trade_records WHERE source = 'manual'`))[0]!.n;
    const manualBefore = await manualBuys();
    const costBasis = await recordCostBasis(
      null,
      form({ id: String(ref.id), rowVersion: String(ref.rowVersion), size: "2", price: "90", orderTime: "2025-03-01 10:00:00", notes: "found the buy" }),
    );
    expect(costBasis).toMatchObject({ ok: false, error: expect.stringContaining("take it over first") });
    expect(await manualBuys()).toBe(manualBefore);

    const bulk = await bulkResolve(null, form({ items: `${ref.id}:${ref.rowVersion}`, resolutionType: "accepted", notes: "batch" }));
    expect(bulk).toMatchObject({ ok: false });

    const taken = await takeOverItem(null, form({ id: String(ref.id), rowVersion: String(ref.rowVersion) }));
    expect(taken).toMatchObject({ ok: true, data: { rowVersion: ref.rowVersion + 1 } });
    expect(await itemState(t.db, ref.id)).toMatchObject({ assigned_to: bob.id });
  });
});
