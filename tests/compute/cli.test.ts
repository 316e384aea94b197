// The compute and validate commands as an operator runs them, on both engines: exit codes,
// summaries, tampering caught, a killed run leaving the previous allocations intact.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { migrate } from "@/db/migrations";
import type { SqlClient } from "@/db/sql-client";
import { createCliDatabase, type CliDatabase } from "../helpers/cli-database";
import { runScript, startScript } from "../helpers/cli";
import { insertSyntheticTrades } from "../helpers/trades";

let target: CliDatabase;
const compute = (...args: string[]) => runScript("compute-allocations.ts", args, { env: target.env });
const validate = (...args: string[]) => runScript("validate-allocations.ts", args, { env: target.env });
const checksum = (db: SqlClient) =>
  db.query<{ n: number; sum: string; md5: string }>(
    `SELECT count(*)::int AS n, coalesce(sum(pnl_usd), 0)::text AS sum,
       md5(coalesce(string_agg(sell_trade_id || ':' || buy_trade_id || ':' || allocated_size || ':' || pnl_usd, ',' ORDER BY sell_trade_id, buy_trade_id), '')) AS md5
     FROM fifo_allocations WHERE allocation_version = 1`,
  );

beforeAll(async () => {
  target = await createCliDatabase();
  await target.use(async (db) => {
    await migrate(db);
    await insertSyntheticTrades(db, 6000, 4);
  });
}, 120_000);
afterAll(() => target.drop());

describe("compute-allocations and validate-allocations", () => {
  test("bad arguments get a usage message and exit code 2", async () => {
    const none = await compute("--version", "1");
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/either --all-symbols or at least one --symbol/);
    const badVersion = await compute("--all-symbols", "--version", "zero");
    expect(badVersion.code).toBe(2);
    const missing = await validate();
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--version/);
  });

  test("validating a version that was never computed says so", async () => {
    const result = await validate("--version", "1");
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/has not been computed/);
  });

  test("compute prints a summary, then every invariant holds", async () => {
    const run = await compute("--all-symbols", "--version", "1");
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Run #\d+ \(version 1\): SUCCEEDED/);
    expect(run.stdout).toMatch(/trades read:\s+6,000/);
    const check = await validate("--version", "1");
    expect(check.stdout).toContain("All invariants hold.");
    expect(check.code).toBe(0);
  }, 120_000);

  test("tampered rows are reported with their trade ids and exit code 1", async () => {
    const tampered = await target.use(async (db) => {
      const [row] = await db.query<{ sell_trade_id: number; buy_trade_id: number }>(
        "SELECT sell_trade_id, buy_trade_id FROM fifo_allocations WHERE allocation_version = 1 ORDER BY sell_trade_id LIMIT 1",
      );
      await db.query(
        "UPDATE fifo_allocations SET pnl_usd = pnl_usd + 0.0000000001 WHERE allocation_version = 1 AND sell_trade_id = $1 AND buy_trade_id = $2",
        [row!.sell_trade_id, row!.buy_trade_id],
      );
      return row!;
    });
    const check = await validate("--version", "1");
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/❌ invariant 5/);
    expect(check.stdout).toContain(`[trades ${tampered.sell_trade_id}, ${tampered.buy_trade_id}]`);
    expect((await compute("--all-symbols", "--version", "1")).code).toBe(0);
    expect((await validate("--version", "1")).code).toBe(0);
  }, 120_000);

  test("a deleted allocation breaks invariants 1 and 6", async () => {
    await target.use((db) =>
      db.query(
        `DELETE FROM fifo_allocations WHERE (allocation_version, sell_trade_id, buy_trade_id) IN
           (SELECT allocation_version, sell_trade_id, buy_trade_id FROM fifo_allocations WHERE allocation_version = 1 ORDER BY sell_trade_id DESC LIMIT 1)`,
      ),
    );
    const check = await validate("--version", "1");
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/❌ invariant 1/);
    expect(check.stdout).toMatch(/❌ invariant 6/);
    expect((await compute("--all-symbols", "--version", "1")).code).toBe(0);
  }, 120_000);

  test("a run killed half-way leaves the previous allocations; the next run marks it failed", async () => {
    const before = await target.use(checksum);
    await target.use((db) => insertSyntheticTrades(db, 60_000, 4));
    const run = startScript("compute-allocations.ts", ["--all-symbols", "--version", "1"], {
      env: { ...target.env, PROGRESS_LOG_INTERVAL_MS: "0" },
    });
    await run.waitFor(/computing\s+\d+%.*trades [1-9]/);
    run.killHard();
    await run.exited;
    expect(await target.use(checksum)).toEqual(before);
    await new Promise((r) => setTimeout(r, 3500)); // past markStaleRuns' grace for just-claimed runs

    const next = await compute("--all-symbols", "--version", "1");
    expect(next.code).toBe(0);
    const runs = await target.use((db) =>
      db.query<{ status: string; errors: { message: string }[] }>(
        "SELECT status, errors FROM fifo_computation_log WHERE allocation_version = 1 ORDER BY id DESC LIMIT 2",
      ),
    );
    expect(runs[0]!.status).toBe("succeeded");
    expect(runs[1]!.status).toBe("failed");
    expect(runs[1]!.errors[0]!.message).toMatch(/stale/);
  }, 180_000);

  test("two runs of one version at once: the second is refused", async () => {
    // On a real server the first run is held after it computed (a table it writes then is locked
    // here), so it is surely still running when the second starts, however fast the machine.
    const hold = process.env.TEST_DATABASE_URL ? await holdTable("fifo_inventory_month_end") : null;
    const first = startScript("compute-allocations.ts", ["--all-symbols", "--version", "1"], {
      env: { ...target.env, PROGRESS_LOG_INTERVAL_MS: "0" },
    });
    try {
      await first.waitFor(/computing/);
      const second = await compute("--all-symbols", "--version", "1");
      expect(second.code).not.toBe(0);
      // A real server refuses the run; the embedded database refuses the second process outright.
      expect(second.stderr).toMatch(/already being computed|is in use by process/i);
    } finally {
      await hold?.release();
    }
    expect(await first.exited).toBe(0);
  }, 180_000);
});

/** Locks `table` in a transaction of its own until release() (real server only). */
async function holdTable(table: string): Promise<{ release(): Promise<void> }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const done = target.use((db) =>
    db.transaction(async (tx) => {
      await tx.exec(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
      locked();
      await released;
    }),
  );
  await isLocked;
  return {
    release: async () => {
      release();
      await done;
    },
  };
}
