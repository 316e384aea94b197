// The follow and validation-period actions as a client could call them: admins only, bad values
// get a message beside the field, and the state lands in fifo_version_follow.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { setFollow, setValidationPeriod } from "@/app/(app)/versions/actions";
import { getFollow } from "@/db/queries/follow";
import { computeAllocations } from "@/lib/compute/run-computation";
import { createTestDatabase, type TestDatabase } from "../../helpers/database";
import { signInAs } from "../../helpers/auth";
import { insertTrades } from "../../helpers/trades";

let t: TestDatabase;

function form(entries: Record<string, string>): FormData {
  const fd = new FormData();
  for (const [key, value] of Object.entries(entries)) fd.append(key, value);
  return fd;
}

beforeAll(async () => {
  t = await createTestDatabase();
  await insertTrades(t.db, [
    { side: "buy", size: "1", price: "100", time: "2025-08-01T08:00:00Z" },
    { side: "sell", size: "1", price: "101", time: "2025-08-01T09:00:00Z" },
  ]);
  await computeAllocations(t.db, { version: 1, symbols: null, mode: "full", startedBy: "test" });
});
afterAll(() => t.drop());

describe("following and the validation period", () => {
  test("a reviewer cannot turn following on", async () => {
    await signInAs(t.db, "reviewer");
    expect(await setFollow(null, form({ version: "1", enabled: "true" }))).toEqual({ ok: false, error: "This needs the admin role." });
    expect(await getFollow(t.db, 1)).toBeNull();
  });

  test("an admin turns it on with an interval, then off; bad intervals are refused beside the field", async () => {
    const admin = await signInAs(t.db, "admin");
    expect(await setFollow(null, form({ version: "1", enabled: "true", intervalSeconds: "2" }))).toMatchObject({
      ok: false,
      fieldErrors: { intervalSeconds: "At least 5 seconds." },
    });
    expect(await setFollow(null, form({ version: "1", enabled: "true", intervalSeconds: "30" }))).toMatchObject({
      ok: true,
      message: "Version 1 follows the bot: new trades are picked up every 30 s.",
    });
    expect(await getFollow(t.db, 1)).toMatchObject({ enabled: true, interval_seconds: 30, changed_by: admin.email });
    expect(await setFollow(null, form({ version: "1", enabled: "false" }))).toMatchObject({ ok: true });
    expect(await getFollow(t.db, 1)).toMatchObject({ enabled: false, interval_seconds: 30 });
    expect(await setFollow(null, form({ version: "9", enabled: "true" }))).toEqual({
      ok: false,
      error: "Version 9 has no computed data; run it first, then follow the bot with it.",
    });
  });

  test("the validation period must be two real days in order", async () => {
    await signInAs(t.db, "admin");
    expect(await setValidationPeriod(null, form({ version: "1", from: "2025-08-10", to: "2025-08-01" }))).toMatchObject({
      ok: false,
      fieldErrors: { to: "The end must not be before the start." },
    });
    expect(await setValidationPeriod(null, form({ version: "1", from: "yesterday", to: "2025-08-01" }))).toMatchObject({
      ok: false,
      fieldErrors: { from: "Use a date like 2025-01-31." },
    });
    expect(await setValidationPeriod(null, form({ version: "1", from: "2025-08-01", to: "2025-08-31" }))).toMatchObject({ ok: true });
    expect(await getFollow(t.db, 1)).toMatchObject({ validation_from: "2025-08-01", validation_to: "2025-08-31" });
  });
});
