// The runs page's start action with a lot-selection method: a new version takes the method asked
// for; an existing version asked for another method is refused beside the field, nothing queued.
import { afterAll, beforeAll, expect, test } from "vitest";
import { setDb } from "@/db/client";
import { startRun } from "@/app/(app)/runs/actions";
import { createTestDatabase, type TestDatabase } from "../../helpers/database";
import { signInAs } from "../../helpers/auth";
import { NextNavigationError } from "../../helpers/next-state";
import { insertTrades } from "../../helpers/trades";

let t: TestDatabase;

function form(entries: Record<string, string>): FormData {
  const fd = new FormData();
  for (const [key, value] of Object.entries(entries)) fd.append(key, value);
  return fd;
}

const runCount = async () => (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM fifo_computation_log"))[0]!.n;

beforeAll(async () => {
  t = await createTestDatabase();
  await insertTrades(t.db, [{ side: "buy", size: "1", price: "100", time: "2025-01-01T00:00:00Z" }]);
  await t.db.query("INSERT INTO fifo_version_methods (allocation_version, method) VALUES (7, 'hifo')");
  await signInAs(t.db, "admin");
});
afterAll(async () => {
  setDb(undefined);
  await t.drop();
});

test("a new version is queued with the method chosen", async () => {
  const thrown = await startRun(null, form({ scope: "all", version: "new", mode: "full", method: "lifo" })).catch((e: unknown) => e);
  expect(thrown).toBeInstanceOf(NextNavigationError);
  const runId = Number((thrown as NextNavigationError).url!.split("/").pop());
  const [run] = await t.db.query<{ method: string; allocation_version: number }>("SELECT method, allocation_version FROM fifo_computation_log WHERE id = $1", [runId]);
  expect(run).toEqual({ method: "lifo", allocation_version: 1 });
});

test("another method for an existing version is refused beside the field; an unknown one too", async () => {
  const before = await runCount();
  const refused = await startRun(null, form({ scope: "all", version: "7", mode: "full", method: "fifo" }));
  expect(refused).toMatchObject({
    ok: false,
    error: expect.stringMatching(/^Version 7 is computed with HIFO; it cannot be recomputed with FIFO/),
    fieldErrors: { method: expect.stringMatching(/computed with HIFO/) },
  });
  const unknown = await startRun(null, form({ scope: "all", version: "7", mode: "full", method: "cheapest" }));
  expect(unknown).toMatchObject({ ok: false, fieldErrors: { method: expect.any(String) } });
  expect(await runCount()).toBe(before);
});

test("no method keeps the version's own", async () => {
  const thrown = await startRun(null, form({ scope: "all", version: "7", mode: "full", method: "" })).catch((e: unknown) => e);
  expect(thrown).toBeInstanceOf(NextNavigationError);
  const [run] = await t.db.query<{ method: string | null }>("SELECT method FROM fifo_computation_log WHERE allocation_version = 7");
  expect(run).toEqual({ method: null });
});
