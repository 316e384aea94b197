// The runs and versions server actions called directly, as a hostile client could: viewers and
// reviewers are refused before anything changes; an admin's start only queues the run and goes to
// its page; a second start of a busy version is refused with a clear message.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { setDb } from "@/db/client";
import { cancelRun, pauseQueue, startRun } from "@/app/(app)/runs/actions";
import { deleteVersion, setCurrentVersion } from "@/app/(app)/versions/actions";
import { createTestDatabase, type TestDatabase } from "../../helpers/database";
import { signInAs, signOut } from "../../helpers/auth";
import { NextNavigationError, revalidatedPaths } from "../../helpers/next-state";
import { insertTrades } from "../../helpers/trades";

let t: TestDatabase;

function form(entries: Record<string, string | string[]>): FormData {
  const fd = new FormData();
  for (const [key, value] of Object.entries(entries)) for (const v of [value].flat()) fd.append(key, v);
  return fd;
}

const runCount = async () => (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM fifo_computation_log"))[0]!.n;

/** Calls startRun and returns the run id from the redirect it ends with. */
async function startAndFollow(fd: FormData): Promise<number> {
  const error = await startRun(null, fd).then(
    (result) => result,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(NextNavigationError);
  const url = (error as NextNavigationError).url!;
  expect(url).toMatch(/^\/runs\/\d+$/);
  return Number(url.split("/").pop());
}

beforeAll(async () => {
  t = await createTestDatabase();
  await insertTrades(t.db, [
    { side: "buy", size: "1", price: "100", time: "2025-01-01T00:00:00Z" },
    { symbol: "ETH-USD", side: "buy", size: "1", price: "3000", time: "2025-01-01T00:00:00Z" },
  ]);
  // A queued run and a computed-looking version for the cancel/current/delete attempts.
  await t.db.query(
    "INSERT INTO fifo_computation_log (allocation_version, mode, status, started_by) VALUES (5, 'full', 'queued', 'admin@example.com')",
  );
});
afterAll(async () => {
  setDb(undefined);
  await t.drop();
});

describe.each(["viewer", "reviewer"] as const)("a %s calling the admin actions directly", (role) => {
  beforeAll(async () => {
    await signInAs(t.db, role);
  });

  test("cannot start a run", async () => {
    const before = await runCount();
    expect(await startRun(null, form({ scope: "all", version: "new", mode: "full" }))).toEqual({
      ok: false,
      error: "This needs the admin role.",
    });
    expect(await runCount()).toBe(before);
  });

  test("cannot cancel a run", async () => {
    expect(await cancelRun(null, form({ runId: "1" }))).toEqual({ ok: false, error: "This needs the admin role." });
    const [run] = await t.db.query<{ status: string; cancel_requested: boolean }>("SELECT status, cancel_requested FROM fifo_computation_log WHERE id = 1");
    expect(run).toEqual({ status: "queued", cancel_requested: false });
  });

  test("cannot pause the queue", async () => {
    expect(await pauseQueue(null, form({ paused: "true" }))).toEqual({ ok: false, error: "This needs the admin role." });
  });

  test("cannot choose the current version or delete one", async () => {
    expect(await setCurrentVersion(null, form({ version: "5" }))).toEqual({ ok: false, error: "This needs the admin role." });
    expect(await deleteVersion(null, form({ version: "5", confirm: "5" }))).toEqual({ ok: false, error: "This needs the admin role." });
  });
});

describe("signed out", () => {
  test("nothing is allowed", async () => {
    signOut();
    expect(await startRun(null, form({ scope: "all", version: "new", mode: "full" }))).toEqual({ ok: false, error: "Sign in first." });
    expect(await cancelRun(null, form({ runId: "1" }))).toEqual({ ok: false, error: "Sign in first." });
  });
});

describe("an admin", () => {
  let admin: { email: string };
  beforeAll(async () => {
    admin = await signInAs(t.db, "admin");
  });

  test("starts a run: it is only queued, and the browser goes to its page", async () => {
    const runId = await startAndFollow(form({ scope: "chosen", symbols: ["BTC-USD"], version: "new", mode: "full" }));
    const [run] = await t.db.query("SELECT allocation_version, symbols, mode, status, started_by FROM fifo_computation_log WHERE id = $1", [runId]);
    expect(run).toEqual({ allocation_version: 6, symbols: ["BTC-USD"], mode: "full", status: "queued", started_by: admin.email });
    expect(revalidatedPaths()).toContain("/runs");
  });

  test("a second start of a version with an active run is refused with a clear message", async () => {
    const result = await startRun(null, form({ scope: "all", version: "6", mode: "incremental" }));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/^Version 6 is already being computed: run #\d+ \(queued\), started by .+\. Wait for it to finish or cancel it\.$/);
  });

  test("chosen symbols must be chosen and have trades", async () => {
    const none = await startRun(null, form({ scope: "chosen", version: "new", mode: "full" }));
    expect(none).toMatchObject({ ok: false, fieldErrors: { symbols: "Choose at least one symbol, or run all symbols." } });
    const unknown = await startRun(null, form({ scope: "chosen", symbols: ["DOGE-USD"], version: "new", mode: "full" }));
    expect(unknown).toMatchObject({ ok: false, fieldErrors: { symbols: "No trades for DOGE-USD." } });
  });

  test("pauses and resumes the queue", async () => {
    expect(await pauseQueue(null, form({ paused: "true" }))).toMatchObject({ ok: true, data: { paused: true } });
    expect(await t.db.query("SELECT value FROM fifo_settings WHERE key = 'runner_paused'")).toEqual([{ value: "true" }]);
    expect(await pauseQueue(null, form({ paused: "false" }))).toMatchObject({ ok: true, data: { paused: false } });
  });

  test("cancels a queued run", async () => {
    const result = await cancelRun(null, form({ runId: "1" }));
    expect(result).toMatchObject({ ok: true, message: "Run #1 was cancelled before it started." });
    expect((await cancelRun(null, form({ runId: "1" })))).toEqual({ ok: false, error: "Run #1 already ended (cancelled)." });
  });

  test("gets clear refusals from the version actions", async () => {
    expect(await setCurrentVersion(null, form({ version: "42" }))).toEqual({
      ok: false,
      error: "Version 42 has no computed data; run it first, then make it current.",
    });
    expect(await deleteVersion(null, form({ version: "6", confirm: "7" }))).toMatchObject({
      ok: false,
      fieldErrors: { confirm: "Type the version number to confirm." },
    });
    expect(await deleteVersion(null, form({ version: "42", confirm: "42" }))).toEqual({
      ok: false,
      error: "Version 42 has no data to delete.",
    });
  });
});
