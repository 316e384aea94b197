// The server actions as a form calls them (previous state, FormData), against a real database
// with a real session: a viewer is refused by every one of them and nothing changes; a reviewer's
// change is made, written to history and revalidated; invalid input comes back beside the field
// with what the user typed; a stale row_version comes back as the conflict message.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import {
  assignItem,
  bulkAssign,
  bulkClaim,
  bulkDismiss,
  bulkReopen,
  bulkRelease,
  bulkResolve,
  claimItem,
  dismissDust,
  dismissItem,
  recordCostBasis,
  releaseItem,
  reopenItem,
  resolveItem,
} from "@/app/(app)/review/actions";
import { setDb } from "@/db/client";
import type { ReviewActionState } from "@/lib/review/action-state";
import { signInAs, signOut } from "../../helpers/auth";
import { createTestDatabase, type TestDatabase } from "../../helpers/database";
import { revalidatedPaths } from "../../helpers/next-state";
import { historyOf, itemState, makeUser, unmatchedSellItem } from "./fixtures";

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  setDb(undefined);
  await t.drop();
});

function form(fields: Record<string, string | string[]>): FormData {
  const fd = new FormData();
  for (const [key, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) fd.append(key, v);
  }
  return fd;
}

type FormAction = (prev: ReviewActionState, fd: FormData) => Promise<NonNullable<ReviewActionState>>;

describe("a viewer calling each action directly is refused, and nothing changes", () => {
  let itemId: number;
  let assigneeId: number;
  beforeAll(async () => {
    assigneeId = (await makeUser(t.db, "reviewer")).id;
    itemId = (await unmatchedSellItem(t.db, { symbol: "VIEW-USD" })).item.id;
    await signInAs(t.db, "viewer");
  });

  const cases: [string, FormAction, () => Record<string, string>][] = [
    ["claimItem", claimItem, () => ({})],
    ["assignItem", assignItem, () => ({ assigneeId: String(assigneeId) })],
    ["releaseItem", releaseItem, () => ({})],
    ["resolveItem", resolveItem, () => ({ resolutionType: "accepted", notes: "looks fine" })],
    ["dismissItem", dismissItem, () => ({ reason: "not_a_problem", notes: "" })],
    ["reopenItem", reopenItem, () => ({ notes: "again please" })],
    [
      "recordCostBasis",
      recordCostBasis,
      () => ({ size: "2", price: "50", orderTime: "2025-03-01T00:00:00", feeUsd: "0", notes: "from a statement" }),
    ],
  ];
  for (const [name, action, extra] of cases) {
    test(name, async () => {
      const result = await action(null, form({ id: String(itemId), rowVersion: "1", ...extra() }));
      expect(result).toMatchObject({ ok: false, error: "This needs the reviewer role." });
      expect(await itemState(t.db, itemId)).toMatchObject({ status: "pending", row_version: 1 });
      expect(await historyOf(t.db, itemId)).toHaveLength(1);
      expect(revalidatedPaths()).toEqual([]);
    });
  }

  const bulkCases: [string, FormAction, () => Record<string, string>][] = [
    ["bulkClaim", bulkClaim, () => ({})],
    ["bulkAssign", bulkAssign, () => ({ assigneeId: String(assigneeId) })],
    ["bulkRelease", bulkRelease, () => ({})],
    ["bulkResolve", bulkResolve, () => ({ resolutionType: "accepted", notes: "all fine" })],
    ["bulkDismiss", bulkDismiss, () => ({ reason: "not_a_problem" })],
    ["bulkReopen", bulkReopen, () => ({ notes: "again please" })],
    ["dismissDust", dismissDust, () => ({})],
  ];
  for (const [name, action, extra] of bulkCases) {
    test(name, async () => {
      const result = await action(null, form({ items: `${itemId}:1`, ...extra() }));
      expect(result).toMatchObject({ ok: false, error: "This needs the reviewer role." });
      expect(await itemState(t.db, itemId)).toMatchObject({ status: "pending", row_version: 1 });
      expect(await historyOf(t.db, itemId)).toHaveLength(1);
    });
  }

  test("signed out, an action asks to sign in first", async () => {
    signOut();
    const result = await claimItem(null, form({ id: String(itemId), rowVersion: "1" }));
    expect(result).toMatchObject({ ok: false, error: "Sign in first." });
    expect(await itemState(t.db, itemId)).toMatchObject({ status: "pending", row_version: 1 });
  });
});

describe("a reviewer works an item through the actions", () => {
  let reviewer: { id: number; email: string };
  beforeAll(async () => {
    reviewer = await signInAs(t.db, "reviewer");
  });
  beforeEach(async () => {
    await signInAs(t.db, "reviewer", reviewer.email);
  });

  test("claim then resolve: changed, history written, review pages revalidated, new row_version returned", async () => {
    const { sellId, item } = await unmatchedSellItem(t.db);
    const claimed = await claimItem(null, form({ id: String(item.id), rowVersion: "1" }));
    expect(claimed).toMatchObject({ ok: true, data: { changed: 1, rowVersion: 2 } });
    expect(revalidatedPaths()).toEqual(expect.arrayContaining(["/review", `/trades/${sellId}`]));
    const resolved = await resolveItem(
      null,
      form({ id: String(item.id), rowVersion: "2", resolutionType: "corrected_at_source", notes: "bot re-imported the fills" }),
    );
    expect(resolved).toMatchObject({ ok: true, data: { rowVersion: 3 } });
    expect((await historyOf(t.db, item.id)).map((h) => [h.action, h.actor_user_id])).toEqual([
      ["opened", null],
      ["claimed", reviewer.id],
      ["resolved", reviewer.id],
    ]);
  });

  test("invalid input comes back beside the field, with what the user typed", async () => {
    const { item } = await unmatchedSellItem(t.db);
    const result = await resolveItem(null, form({ id: String(item.id), rowVersion: "1", resolutionType: "", notes: "ok" }));
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: { resolutionType: expect.any(String), notes: expect.stringMatching(/at least 3/) },
      values: { notes: "ok" },
    });
    const dismissed = await dismissItem(null, form({ id: String(item.id), rowVersion: "1", reason: "other", notes: "" }));
    expect(dismissed).toMatchObject({ ok: false, fieldErrors: { notes: expect.stringMatching(/Explain/) } });
    expect(await itemState(t.db, item.id)).toMatchObject({ status: "pending", row_version: 1 });
  });

  test("a stale row_version returns the conflict message and keeps the typed notes", async () => {
    const { item } = await unmatchedSellItem(t.db);
    await claimItem(null, form({ id: String(item.id), rowVersion: "1" }));
    const result = await dismissItem(null, form({ id: String(item.id), rowVersion: "1", reason: "not_a_problem", notes: "my long explanation" }));
    expect(result).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^Changed by .+ at \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC; reload to see the change\.$/),
      values: { notes: "my long explanation" },
    });
  });

  test("recordCostBasis: a time after the sell is refused beside the time field; a good one resolves", async () => {
    const { item } = await unmatchedSellItem(t.db, { symbol: "NEAR-USD", at: "2025-03-10T12:00:00Z" });
    const fields = { id: String(item.id), rowVersion: "1", size: "2", price: "3.5", feeUsd: "", notes: "OTC purchase" };
    const late = await recordCostBasis(null, form({ ...fields, orderTime: "2025-03-10T12:00:01" }));
    expect(late).toMatchObject({
      ok: false,
      fieldErrors: { orderTime: expect.stringMatching(/Must be before the sell/) },
      values: { size: "2", price: "3.5", orderTime: "2025-03-10T12:00:01", notes: "OTC purchase" },
    });
    const bad = await recordCostBasis(null, form({ ...fields, size: "-1", price: "abc", orderTime: "yesterday" }));
    expect(bad).toMatchObject({ ok: false, fieldErrors: { size: expect.any(String), price: expect.any(String), orderTime: expect.any(String) } });
    const ok = await recordCostBasis(null, form({ ...fields, orderTime: "2025-03-09T08:30" }));
    expect(ok).toMatchObject({ ok: true, data: { rowVersion: 2, manualTradeId: expect.any(Number) } });
    const [manual] = await t.db.query("SELECT side, size, price, fee_usd, order_time, source FROM fifo_trades WHERE id = $1", [
      (ok as { data: { manualTradeId: number } }).data.manualTradeId,
    ]);
    expect(manual).toEqual({ side: "buy", size: "2", price: "3.5", fee_usd: "0", order_time: "2025-03-09 08:30:00+00", source: "manual" });
  });

  test("bulk actions report what they skipped; nothing changed is an error", async () => {
    const a = (await unmatchedSellItem(t.db)).item;
    const b = (await unmatchedSellItem(t.db)).item;
    await claimItem(null, form({ id: String(b.id), rowVersion: "1" }));
    const result = await bulkClaim(null, form({ items: [`${a.id}:1`, `${b.id}:1`] }));
    expect(result).toMatchObject({ ok: true, data: { changed: 1, skipped: 1 }, message: expect.stringMatching(/^Claimed 1 item\. 1 skipped: #\d+: Changed by/) });
    const again = await bulkClaim(null, form({ items: `${a.id}:1,${b.id}:1` }));
    expect(again).toMatchObject({ ok: false, error: expect.stringMatching(/^Nothing was changed\./) });
    const none = await bulkClaim(null, form({}));
    expect(none).toMatchObject({ ok: false, fieldErrors: { items: "Select at least one item" } });
  });

  test("dismiss all dust dismisses only dust, with reason dust", async () => {
    const dust = (await unmatchedSellItem(t.db, { symbol: "SHIB-USD", price: "0.00001", size: "1000", unmatched: "1000", severity: "low" })).item;
    const big = (await unmatchedSellItem(t.db, { symbol: "SHIB-USD", price: "0.00001", size: "1000000", unmatched: "1000000", severity: "low" })).item;
    const result = await dismissDust(null, form({ items: `${dust.id}:1,${big.id}:1` }));
    expect(result).toMatchObject({ ok: true, data: { changed: 1, skipped: 1 } });
    expect(await itemState(t.db, dust.id)).toMatchObject({ status: "dismissed", resolution_type: "dust" });
    expect(await itemState(t.db, big.id)).toMatchObject({ status: "pending" });
  });
});
