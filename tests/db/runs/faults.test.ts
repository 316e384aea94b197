// Faults on a real server: the database going away mid-run, the run's lock connection killed, a
// sibling process's stale sweep, and a trade committed while a run reads. Each must end with the
// run failed (saying why), the previous allocations untouched, the version free, and the next run
// succeeding; never a wedged runner or a run that commits after losing its claim.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { getRun, holdRunLock, markRunning, markStaleRuns, markSucceeded, RunClaimLostError } from "@/db/compute/runs";
import type { SqlClient } from "@/db/sql-client";
import { computeAllocations, enqueueRun, executeRun } from "@/lib/compute/run-computation";
import { createRunner, type RunExecutor } from "@/lib/jobs/runner";
import { createTestDatabase, usingRealServer, type TestDatabase } from "../../helpers/database";
import { allocationRows, insertSyntheticTrades, insertTrades } from "../../helpers/trades";

let t: TestDatabase;
let admin: pg.Client;
let dbName: string;

const quiet = () => {};
const statusOf = async (runId: number) => (await getRun(t.db, runId))!.status;
const queue = (version: number, mode: "full" | "incremental" = "full") =>
  enqueueRun(t.db, { version, symbols: null, mode, startedBy: "admin@example.com" });
const checksum = async (version: number) =>
  (
    await t.db.query<{ n: number; md5: string }>(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(sell_trade_id || ':' || buy_trade_id || ':' || allocated_size || ':' || pnl_usd,
         ',' ORDER BY sell_trade_id, buy_trade_id), '')) AS md5
       FROM fifo_allocations WHERE allocation_version = $1`,
      [version],
    )
  )[0]!;
const activeRuns = async () =>
  (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM fifo_computation_log WHERE status IN ('queued', 'running')"))[0]!.n;

/** Executes runs; the first one gets `fault` at its first progress report (claimed, lock held, reading). */
const faultAtStart = (fault: (runId: number) => Promise<unknown>): RunExecutor => {
  let injected: Promise<unknown> | null = null;
  return (db, runId) => executeRun(db, runId, { alreadyClaimed: true, onProgress: () => void (injected ??= fault(runId)) });
};

const terminate = (where: string, params: unknown[] = []) =>
  admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND ${where}`, [
    dbName,
    ...params,
  ]);

beforeAll(async () => {
  if (!usingRealServer) return;
  t = await createTestDatabase();
  dbName = new URL(t.url!).pathname.slice(1);
  admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await admin.connect();
  await insertSyntheticTrades(t.db, 20_000, 4);
  expect((await computeAllocations(t.db, { version: 1, symbols: null, mode: "full", startedBy: "test" })).status).toBe("succeeded");
}, 120_000);
afterAll(async () => {
  if (!usingRealServer) return;
  await admin.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`).catch(() => {});
  await admin.end();
  await t.drop();
});

describe.runIf(usingRealServer)("the database goes away mid-run", () => {
  test("the run ends failed with the reason, the version is freed, the runner takes the next run once the database is back", async () => {
    const before = await checksum(1);
    const runnerDb = t.connect(); // the server process's own pool
    let down = false;
    const restart = faultAtStart(async () => {
      // As a restart looks from here: every connection dropped, and no new one accepted for a while.
      await admin.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS false`);
      await terminate("true");
      down = true;
      await new Promise((r) => setTimeout(r, 2500));
      await admin.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`);
      down = false;
    });
    const runner = createRunner({ database: async () => runnerDb, execute: restart, pollIntervalMs: 50, log: quiet });
    const first = await queue(1);
    const next = await queue(2); // waits behind the first (one run at a time per process)
    runner.start();
    try {
      await vi.waitFor(() => expect(down).toBe(true), { timeout: 30_000, interval: 20 });
      await vi.waitFor(() => expect(down).toBe(false), { timeout: 30_000, interval: 50 });
      await vi.waitFor(async () => expect(await statusOf(next)).toBe("succeeded"), { timeout: 60_000, interval: 100 });
    } finally {
      await runner.stop();
    }
    const run = (await getRun(t.db, first))!;
    expect(run.status).toBe("failed");
    expect(run.errors.map((e) => e.message).join(" ")).toMatch(/terminat|connection/i);
    expect(await checksum(1)).toEqual(before);
    expect(await activeRuns()).toBe(0);
    // The version is free: a new run of it succeeds and gives the same allocations (same trades).
    expect((await computeAllocations(t.db, { version: 1, symbols: null, mode: "full", startedBy: "test" })).status).toBe("succeeded");
    expect(await checksum(1)).toEqual(before);
  }, 120_000);

  test("killing only the connection that holds the run's lock stops the run: it cannot commit", async () => {
    const before = await checksum(1);
    const runnerDb = t.connect();
    const killLock = faultAtStart((runId) =>
      terminate("pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = $2::oid AND classid = $3::oid)", [
        runId,
        0x6669666f,
      ]),
    );
    const runId = await queue(1);
    await createRunner({ database: async () => runnerDb, execute: killLock, log: quiet }).drain();
    const run = (await getRun(t.db, runId))!;
    expect(run.status).toBe("failed");
    expect(run.errors[0]!.message).toMatch(/lost/);
    expect(await checksum(1)).toEqual(before);
    const again = await queue(1);
    await createRunner({ database: async () => runnerDb, log: quiet }).drain();
    expect(await statusOf(again)).toBe("succeeded");
    expect(await checksum(1)).toEqual(before);
  }, 120_000);
});

describe.runIf(usingRealServer)("liveness of runs across processes", () => {
  test("a sibling's live run is never swept, however long it runs; once its lock and heartbeat stop, it is", async () => {
    const sibling = t.connect(); // another server process
    const runId = await queue(3);
    expect(await markRunning(sibling, runId)).toBe(true);
    const claim = await holdRunLock(sibling, runId);
    await new Promise((r) => setTimeout(r, 4000)); // past the grace of a fresh claim
    expect(await markStaleRuns(t.db, new Set())).toEqual([]);
    const { heartbeat_at } = (await getRun(t.db, runId))!;
    expect(Date.now() - Date.parse(heartbeat_at!.replace(" ", "T").replace(/\+00$/, "Z"))).toBeLessThan(2500);

    await claim.release(); // as if the process died: no lock, and the heartbeat stops
    expect(await markStaleRuns(t.db, new Set())).toEqual([]); // heartbeat still fresh
    await new Promise((r) => setTimeout(r, 3500));
    expect(await markStaleRuns(t.db, new Set())).toEqual([runId]);
    expect((await getRun(t.db, runId))!.errors[0]!.message).toMatch(/stale/);
  }, 30_000);

  test("a run marked failed meanwhile cannot flip back to succeeded", async () => {
    const runId = await queue(4);
    expect(await markRunning(t.db, runId)).toBe(true);
    const claim = await holdRunLock(t.db, runId);
    await t.db.query("UPDATE fifo_computation_log SET status = 'failed' WHERE id = $1", [runId]);
    const commit = t.db.transaction((tx) =>
      markSucceeded(tx, runId, {
        tradesRead: 1, allocationsWritten: 1, unmatchedSells: 0, invalidTrades: 0, reviewItemsOpened: 0, reviewItemsClosed: 0,
        progress: { phase: "done", symbolsDone: 1, symbolsTotal: 1, tradesDone: 1, tradesTotal: 1, tradesPerSecond: 0, etaSeconds: null },
      }),
    );
    await expect(commit).rejects.toBeInstanceOf(RunClaimLostError);
    expect(await statusOf(runId)).toBe("failed");
    await claim.release();
  });

  test("a run whose lock connection is gone cannot commit even before it notices", async () => {
    const runId = await queue(5);
    expect(await markRunning(t.db, runId)).toBe(true);
    const claim = await holdRunLock(t.db, runId);
    await terminate("pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = $2::oid)", [runId]);
    const commit = t.db.transaction((tx) =>
      markSucceeded(tx, runId, {
        tradesRead: 1, allocationsWritten: 1, unmatchedSells: 0, invalidTrades: 0, reviewItemsOpened: 0, reviewItemsClosed: 0,
        progress: { phase: "done", symbolsDone: 1, symbolsTotal: 1, tradesDone: 1, tradesTotal: 1, tradesPerSecond: 0, etaSeconds: null },
      }),
    );
    await expect(commit).rejects.toBeInstanceOf(RunClaimLostError);
    await vi.waitFor(() => expect(claim.lost.aborted).toBe(true), { timeout: 5000 });
    await claim.release();
  });
});

describe.runIf(usingRealServer)("a trade committed while a run reads", () => {
  test("is not counted in the snapshot fingerprint, so the next incremental run picks it up", async () => {
    const writer: SqlClient = t.connect();
    let inserted: Promise<number[]> | null = null;
    // A reviewer's manual buy, backdated before everything: committed after the run took its snapshot.
    const insertWhileReading: RunExecutor = (db, runId) =>
      executeRun(db, runId, {
        alreadyClaimed: true,
        onProgress: () =>
          void (inserted ??= insertTrades(writer, [
            { symbol: "SYM01-USD", side: "buy", size: "3", price: "50", time: "2023-06-01T00:00:00Z", source: "manual" },
          ])),
      });
    const runId = await queue(6);
    await createRunner({ database: async () => t.db, execute: insertWhileReading, log: quiet }).drain();
    expect(await statusOf(runId)).toBe("succeeded");
    const [buyId] = await inserted!;
    const allocated = await t.db.query("SELECT 1 FROM fifo_allocations WHERE allocation_version = 6 AND buy_trade_id = $1", [buyId]);
    expect(allocated).toEqual([]); // the run did not see it: its snapshot must not either

    const incremental = await computeAllocations(t.db, { version: 6, symbols: null, mode: "incremental", startedBy: "test" });
    expect(incremental.fullRecomputes.map((f) => f.symbol)).toEqual(["SYM01-USD"]);
    await computeAllocations(t.db, { version: 7, symbols: null, mode: "full", startedBy: "test" });
    expect(await allocationRows(t.db, 6)).toEqual(await allocationRows(t.db, 7));
  }, 120_000);
});
