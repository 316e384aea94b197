// The cutover checklist gates "make current" on the server: an admin cannot make a version
// current while an item fails, unless they give an override reason, which is recorded with the
// checklist as it stood. Validation is tied to the version's latest run.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { setCurrentVersion, validateVersion } from "@/app/(app)/versions/actions";
import { listCutovers } from "@/db/queries/cutover";
import { setValidationPeriod } from "@/db/queries/follow";
import { getCurrentVersion } from "@/db/queries/versions";
import { computeAllocations } from "@/lib/compute/run-computation";
import { loadChecklist } from "@/lib/cutover/make-current";
import { createTestDatabase, type TestDatabase } from "../../helpers/database";
import { signInAs } from "../../helpers/auth";
import { insertTrades } from "../../helpers/trades";

let t: TestDatabase;
let adminEmail: string;

function form(entries: Record<string, string>): FormData {
  const fd = new FormData();
  for (const [key, value] of Object.entries(entries)) fd.append(key, value);
  return fd;
}
const compute = (version: number) => computeAllocations(t.db, { version, symbols: null, mode: "full", startedBy: "test" });
const failing = async (version: number, backup = false) =>
  (await loadChecklist(t.db, version, backup)).items.filter((i) => !i.passed).map((i) => i.key);

beforeAll(async () => {
  t = await createTestDatabase();
  await insertTrades(t.db, [
    { id: 1, side: "buy", size: "1", price: "100", time: "2025-06-01T08:00:00Z" },
    { id: 2, side: "sell", size: "1", price: "110", time: "2025-06-01T09:00:00Z", parentId: 1, oldPnl: "12" }, // the old system lost 2 USD of fees: drift
    // Nothing covers this sell: 20,000 USD unmatched, a critical item.
    { id: 3, side: "sell", size: "1", price: "20000", time: "2025-06-02T09:00:00Z" },
  ]);
  expect((await compute(1)).status).toBe("succeeded");
  expect((await compute(2)).status).toBe("succeeded");
  // The first version computed was pinned as current.
  expect(await getCurrentVersion(t.db)).toBe(1);
  adminEmail = (await signInAs(t.db, "admin")).email;
});
afterAll(() => t.drop());

describe("the cutover checklist", () => {
  test("starts with every item open: not validated, a critical item, unexplained drift, no backup", async () => {
    expect(await failing(2)).toEqual(["validated", "no_open_critical", "drift_explained", "backup_acknowledged"]);
  });

  test("gates make current: refused with the failing items named, nothing changed or recorded", async () => {
    const result = await setCurrentVersion(null, form({ version: "2", backupAcknowledged: "on" }));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toContain("The cutover checklist for version 2 is not complete");
    expect(!result.ok && result.error).toContain("No open critical review item");
    expect(await getCurrentVersion(t.db)).toBe(1);
    expect(await listCutovers(t.db)).toEqual([]);
  });

  test("validating records a pass for the version's latest run; a later run makes it stale", async () => {
    const result = await validateVersion(null, form({ version: "2" }));
    expect(result).toMatchObject({ ok: true, data: { passed: true, violations: 0 } });
    expect(await failing(2, true)).not.toContain("validated");
    // An incremental run that finds no new trade (a follow run, say) changes nothing: still valid.
    const idle = await computeAllocations(t.db, { version: 2, symbols: null, mode: "incremental", startedBy: "follow" });
    expect(idle).toMatchObject({ status: "succeeded", tradesRead: 0 });
    expect(await failing(2, true)).not.toContain("validated");
    expect((await compute(2)).status).toBe("succeeded");
    expect(await failing(2, true)).toContain("validated");
    expect(await validateVersion(null, form({ version: "2" }))).toMatchObject({ ok: true });
    expect(await failing(2, true)).not.toContain("validated");
  });

  test("an override needs a real reason, and is recorded with the checklist as it stood", async () => {
    const short = await setCurrentVersion(null, form({ version: "2", overrideReason: "because" }));
    expect(short.ok).toBe(false);
    expect(await getCurrentVersion(t.db)).toBe(1);

    const reason = "Critical sell 3 is a known deposit; the accountant signed off.";
    const result = await setCurrentVersion(null, form({ version: "2", overrideReason: reason }));
    expect(result).toMatchObject({ ok: true, data: { version: 2 } });
    expect(await getCurrentVersion(t.db)).toBe(2);
    const [record] = await listCutovers(t.db);
    expect(record).toMatchObject({
      allocation_version: 2,
      previous_version: 1,
      made_by: adminEmail,
      source: "dashboard",
      checklist_passed: false,
      backup_acknowledged: false,
      override_reason: reason,
    });
    expect(record!.checklist.filter((i) => !i.passed).map((i) => i.key)).toEqual([
      "no_open_critical",
      "drift_explained",
      "backup_acknowledged",
    ]);
  });

  test("once every item holds, make current needs no override", async () => {
    await validateVersion(null, form({ version: "1" }));
    // The reviewers work the queue: the critical unmatched sell and the drift are explained.
    await t.db.query("UPDATE manual_review_queue SET status = 'resolved' WHERE allocation_version = 1");
    await setValidationPeriod(t.db, { version: 1, from: "2025-06-01", to: "2025-06-02", changedBy: adminEmail });
    expect(await failing(1)).toEqual(["backup_acknowledged"]);
    const result = await setCurrentVersion(null, form({ version: "1", backupAcknowledged: "on" }));
    expect(result).toMatchObject({ ok: true, data: { version: 1 } });
    expect(await getCurrentVersion(t.db)).toBe(1);
    const [record] = await listCutovers(t.db);
    expect(record).toMatchObject({ allocation_version: 1, previous_version: 2, checklist_passed: true, backup_acknowledged: true, override_reason: null });
  });

  test("reviewers and viewers cannot make a version current", async () => {
    for (const role of ["viewer", "reviewer"] as const) {
      await signInAs(t.db, role);
      expect(await setCurrentVersion(null, form({ version: "2", overrideReason: "I really want to switch it" }))).toEqual({
        ok: false,
        error: "This needs the admin role.",
      });
      expect(await validateVersion(null, form({ version: "2" }))).toEqual({ ok: false, error: "This needs the admin role." });
    }
    expect(await getCurrentVersion(t.db)).toBe(1);
  });
});
