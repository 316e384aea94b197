// kill -9 of compute-allocations at ten random moments on a real server (before it connects, while it
// reads, while it writes, while it commits): the previous allocations stay identical (checksum), no
// run is left blocking the version once its heartbeat is stale, and the next run succeeds.
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { markStaleRuns } from "@/db/compute/runs";
import { migrate } from "@/db/migrations";
import type { SqlClient } from "@/db/sql-client";
import { createCliDatabase, type CliDatabase } from "../helpers/cli-database";
import { runScript, startScript } from "../helpers/cli";
import { usingRealServer } from "../helpers/database";
import { insertSyntheticTrades } from "../helpers/trades";

let target: CliDatabase;
const compute = () => runScript("compute-allocations.ts", ["--all-symbols", "--version", "1"], { env: target.env });
const checksum = (db: SqlClient) =>
  db.query<{ n: number; md5: string }>(
    `SELECT count(*)::int AS n, md5(coalesce(string_agg(sell_trade_id || ':' || buy_trade_id || ':' || allocated_size || ':' || pnl_usd,
       ',' ORDER BY sell_trade_id, buy_trade_id), '')) AS md5
     FROM fifo_allocations WHERE allocation_version = 1`,
  );
const activeRuns = (db: SqlClient) =>
  db.query<{ id: number }>("SELECT id FROM fifo_computation_log WHERE status IN ('queued', 'running')");

beforeAll(async () => {
  if (!usingRealServer) return;
  target = await createCliDatabase();
  await target.use(async (db) => {
    await migrate(db);
    await insertSyntheticTrades(db, 30_000, 4);
  });
}, 120_000);
afterAll(() => target?.drop());

describe.runIf(usingRealServer)("kill -9 of the CLI", () => {
  test("at ten random moments: allocations untouched, nothing left blocking, the next run succeeds", async () => {
    const started = Date.now();
    expect((await compute()).code).toBe(0);
    const lifetime = Date.now() - started; // the CLI's whole life: start-up, read, write, commit, exit
    const before = await target.use(checksum);
    // One random moment in each tenth of that life, so every phase gets its kills.
    const moments = Array.from({ length: 10 }, (_, i) => Math.round(((i + Math.random()) / 10) * lifetime));
    for (const ms of moments) {
      const run = startScript("compute-allocations.ts", ["--all-symbols", "--version", "1"], { env: target.env });
      await new Promise((r) => setTimeout(r, ms));
      if (run.child.exitCode === null) run.killHard();
      await run.exited;
      expect(await target.use(checksum), `killed after ${ms} ms`).toEqual(before);
      // Dead: its lock went with its connection, and its heartbeat stops; a sweep then frees the version.
      await vi.waitFor(
        async () => {
          await target.use((db) => markStaleRuns(db, new Set()));
          expect(await target.use(activeRuns)).toEqual([]);
        },
        { timeout: 15_000, interval: 500 },
      );
    }
    const next = await compute();
    expect(next.code, next.stderr).toBe(0);
    expect(await target.use(checksum)).toEqual(before); // same trades, same allocations
  }, 480_000); // ten kills and sweeps: minutes on a loaded 2-core machine
});
