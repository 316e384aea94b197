// The seed's steps 4 and 5 from the command line: validate-allocations records its outcome for the
// checklist, set-current-version prints the checklist and switches (or refuses with
// --require-checklist), and compute-allocations --follow picks up the bot's new trades.
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { migrate } from "@/db/migrations";
import type { SqlClient } from "@/db/sql-client";
import { createCliDatabase, type CliDatabase } from "../helpers/cli-database";
import { runScript, startScript } from "../helpers/cli";
import { usingRealServer } from "../helpers/database";
import { insertTrades } from "../helpers/trades";

let target: CliDatabase;
const run = (script: string, ...args: string[]) => runScript(script, args, { env: target.env });
const currentRows = (db: SqlClient) =>
  db.query<{ allocation_version: number; n: number }>("SELECT allocation_version, count(*)::int AS n FROM fifo_allocations_current GROUP BY 1");

beforeAll(async () => {
  target = await createCliDatabase();
  await target.use(async (db) => {
    await migrate(db);
    await insertTrades(db, [
      { id: 1, side: "buy", size: "2", price: "100", time: "2025-07-01T08:00:00Z" },
      { id: 2, side: "sell", size: "1", price: "110", time: "2025-07-01T09:00:00Z", parentId: 1, oldPnl: "10" },
    ]);
  });
  expect((await run("compute-allocations.ts", "--all-symbols", "--version", "1")).code).toBe(0);
  expect((await run("compute-allocations.ts", "--all-symbols", "--version", "2")).code).toBe(0);
}, 120_000);
afterAll(() => target.drop());

describe("set-current-version", () => {
  test("--require-checklist refuses while the checklist is incomplete, and changes nothing", async () => {
    const result = await run("set-current-version.ts", "--version", "2", "--require-checklist");
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("Cutover checklist for version 2:");
    expect(result.stdout).toMatch(/❌ validate-allocations passes.*Not validated yet/);
    expect(result.stdout).toContain("❌ A backup of the database was taken");
    // Version 1, the first computed, is current; computing version 2 did not switch the reports.
    await target.use(async (db) => expect(await currentRows(db)).toEqual([{ allocation_version: 1, n: 1 }]));
  });

  test("after validate-allocations and with --backup-taken every item holds and it switches", async () => {
    expect((await run("validate-allocations.ts", "--version", "2")).code).toBe(0);
    const result = await run("set-current-version.ts", "--version", "2", "--backup-taken", "--require-checklist");
    expect(result.stderr).not.toMatch(/refused/);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("✅ Drift explained for the validation period (2025-06-02 to 2025-07-01)");
    expect(result.stdout).toContain("Version 2 is now the current version (was 1).");
    await target.use(async (db) => {
      expect(await currentRows(db)).toEqual([{ allocation_version: 2, n: 1 }]);
      const [record] = await db.query("SELECT source, checklist_passed, override_reason FROM fifo_cutovers ORDER BY id DESC LIMIT 1");
      expect(record).toEqual({ source: "cli", checklist_passed: true, override_reason: null });
    });
  });

  test("without --require-checklist an incomplete checklist is recorded as the operator's override", async () => {
    const result = await run("set-current-version.ts", "--version", "1", "--reason", "switching back for the demo");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Recorded as an override: switching back for the demo");
    await target.use(async (db) => {
      expect(await currentRows(db)).toEqual([{ allocation_version: 1, n: 1 }]);
      const [record] = await db.query("SELECT previous_version, checklist_passed, override_reason FROM fifo_cutovers ORDER BY id DESC LIMIT 1");
      expect(record).toEqual({ previous_version: 2, checklist_passed: false, override_reason: "switching back for the demo" });
    });
  });

  test("a version without data is refused; bad arguments exit 2", async () => {
    const missing = await run("set-current-version.ts", "--version", "42");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("Version 42 has no computed data");
    expect((await run("set-current-version.ts")).code).toBe(2);
  });
});

describe("compute-allocations --follow", () => {
  // PGlite opens a data directory from one process at a time: the test cannot insert trades
  // while the CLI follows. The runner-driven test (tests/db/cutover/follow.test.ts) covers both engines.
  test.skipIf(!usingRealServer)("keeps running and allocates the bot's new trades; --unfollow turns it off", async () => {
    const cli = startScript("compute-allocations.ts", ["--all-symbols", "--version", "3", "--follow", "--interval", "5"], { env: target.env });
    try {
      await cli.waitFor(/Following the bot with version 3/);
      await target.use((db) =>
        insertTrades(db, [{ id: 3, side: "sell", size: "0.5", price: "130", time: "2025-07-02T09:00:00Z", parentId: 1, oldPnl: "15" }]),
      );
      await target.use(async (db) =>
        vi.waitFor(
          async () => {
            const rows = await db.query("SELECT 1 FROM fifo_allocations WHERE allocation_version = 3 AND sell_trade_id = 3");
            expect(rows).toHaveLength(1);
          },
          { timeout: 30_000, interval: 200 },
        ),
      );
    } finally {
      process.kill(-cli.child.pid!, "SIGINT");
      await cli.exited;
    }
    expect(cli.output.stdout).toContain("still follows the bot");
    const off = await run("compute-allocations.ts", "--unfollow", "--version", "3");
    expect(off.code).toBe(0);
    await target.use(async (db) => {
      const [follow] = await db.query("SELECT enabled, interval_seconds FROM fifo_version_follow WHERE allocation_version = 3");
      expect(follow).toEqual({ enabled: false, interval_seconds: 5 });
      const runs = await db.query<{ started_by: string }>(
        "SELECT started_by FROM fifo_computation_log WHERE allocation_version = 3 AND mode = 'incremental' AND status = 'succeeded'",
      );
      expect(runs.length).toBeGreaterThanOrEqual(1);
      expect(runs.every((r) => r.started_by.startsWith("follow:cli:"))).toBe(true);
    });
  }, 90_000);
});
