// Version numbers live in a PostgreSQL integer: the largest one in use must not make "new
// version" overflow, and a version out of range is a field message, never a database error.
import { afterAll, beforeAll, expect, test } from "vitest";
import { startRunAction } from "@/app/(app)/runs/run-actions";
import { setDb } from "@/db/client";
import { nextVersionNumber } from "@/db/queries/version-admin";
import { signInAs } from "../../helpers/auth";
import { createTestDatabase, type TestDatabase } from "../../helpers/database";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await signInAs(t.db, "admin");
});
afterAll(async () => {
  setDb(undefined);
  await t.drop();
});

const runCount = async () => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM fifo_computation_log`))[0]!.n;

test("a version out of range gets a field message and queues nothing", async () => {
  for (const version of ["2147483648", "1e10", "0", "-1", "9007199254740993"]) {
    const result = await startRunAction({ scope: "all", symbols: [], version, mode: "full" });
    expect(result).toMatchObject({ ok: false, fieldErrors: { version: "Choose a version (1 to 2147483647)." } });
  }
  expect(await runCount()).toBe(0);
});

test("with version 2147483647 in use there is no next number, and 'new' says so instead of overflowing", async () => {
  await t.db.query(`INSERT INTO fifo_computation_log (allocation_version, status, started_by, started_at, finished_at)
    VALUES (2147483647, 'succeeded', 'test', now(), now())`);
  expect(await nextVersionNumber(t.db)).toBeNull();
  const result = await startRunAction({ scope: "all", symbols: [], version: "new", mode: "full" });
  expect(result).toMatchObject({ ok: false, fieldErrors: { version: expect.stringContaining("Choose an existing version") } });
  expect(await runCount()).toBe(1);
});
