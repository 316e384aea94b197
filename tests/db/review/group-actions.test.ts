// Acting on a group from the groups page: the form names the group and when it was seen, the
// server finds the group's open items (the browser never gets their ids), and items changed in
// between are left alone and counted.
import { afterAll, beforeAll, expect, test } from "vitest";
import { groupAct } from "@/app/(app)/review/actions";
import { setDb } from "@/db/client";
import { listReviewGroups } from "@/db/review/groups";
import { filterContext } from "@/db/review/source";
import { signInAs } from "../../helpers/auth";
import { createTestDatabase, type TestDatabase } from "../../helpers/database";
import { itemState, unmatchedSellItem } from "./fixtures";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  setDb(undefined);
  await t.drop();
});

function groupForm(fields: Record<string, string | number | null>): FormData {
  const fd = new FormData();
  for (const [key, value] of Object.entries(fields)) fd.set(key, value === null ? "" : String(value));
  return fd;
}

test("a group action dismisses the group's open items, leaving those changed since the page was seen", async () => {
  const items = [];
  for (let i = 0; i < 3; i++) items.push((await unmatchedSellItem(t.db, { symbol: "GRP-USD", size: "0.001", price: "1", at: `2025-03-0${i + 1}T10:00:00Z` })).item);
  const ctx = await filterContext(t.db, null);
  const [group] = await listReviewGroups(t.db, { status: "open", symbol: "GRP-USD" }, ctx);
  expect(group).toMatchObject({ open_items: 3, cause: "dust", month: "2025-03" });
  expect(group).not.toHaveProperty("open_refs");

  await signInAs(t.db, "reviewer");
  // someone changes one item after the page was rendered
  await t.db.query(`UPDATE manual_review_queue SET updated_at = now() + interval '1 minute', row_version = row_version + 1 WHERE id = $1`, [items[0]!.id]);
  const form = groupForm({
    op: "dismiss", reason: "dust", notes: "", version: group!.allocation_version, symbol: group!.symbol, type: group!.issue_type,
    cause: group!.cause, month: group!.month, asOf: group!.open_as_of,
  });
  const result = await groupAct(null, form);
  expect(result).toMatchObject({ ok: true, data: { changed: 2 }, message: expect.stringContaining("1 changed since you loaded the page") });
  expect((await itemState(t.db, items[0]!.id)).status).toBe("pending");
  expect((await itemState(t.db, items[1]!.id)).status).toBe("dismissed");
  expect((await itemState(t.db, items[2]!.id)).status).toBe("dismissed");

  // a forged group key finds nothing and changes nothing
  const forged = await groupAct(null, groupForm({ op: "dismiss", reason: "dust", version: 1, symbol: "NOPE-USD", type: "unmatched_sell", cause: "dust", month: "", asOf: 1 }));
  expect(forged).toMatchObject({ ok: false, error: "Nothing was changed." });
});
