// The background runner against a real database: queued rows are the queue; the runner claims and
// executes them, one version at a time; cancelling (queued or running) and dead workers leave the
// version's previous allocations exactly as they were.
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { getRun, RunConflictError } from "@/db/compute/runs";
import type { SqlClient } from "@/db/sql-client";
import { enqueueRun, executeRun } from "@/lib/compute/run-computation";
import { cancelRun } from "@/lib/jobs/cancel";
import { setQueuePaused } from "@/db/queries/runs";
import { createRunner, type RunExecutor, type RunnerOptions } from "@/lib/jobs/runner";
import { createTestDatabase, usingRealServer, type TestDatabase } from "../../helpers/database";
import { allocationRows, insertTrades } from "../../helpers/trades";

let t: TestDatabase;

const quiet = () => {};
const runnerFor = (db: SqlClient, options: RunnerOptions = {}) =>
  createRunner({ database: async () => db, pollIntervalMs: 25, log: quiet, ...options });
const queue = (version: number, extra: Partial<Parameters<typeof enqueueRun>[1]> = {}) =>
  enqueueRun(t.db, { version, symbols: null, mode: "full", startedBy: "admin@example.com", ...extra });
const statusOf = async (runId: number) => (await getRun(t.db, runId))!.status;

beforeAll(async () => {
  t = await createTestDatabase();
  await insertTrades(t.db, [
    { side: "buy", size: "1", price: "100", fee: "0.1", time: "2025-01-01T00:00:00Z" },
    { side: "buy", size: "2", price: "110", time: "2025-01-02T00:00:00Z" },
    { side: "sell", size: "1.5", price: "120", time: "2025-01-03T00:00:00Z", oldPnl: "15" },
    { symbol: "ETH-USD", side: "buy", size: "5", price: "3000", time: "2025-01-01T00:00:00Z" },
    { symbol: "ETH-USD", side: "sell", size: "2", price: "3100", time: "2025-01-02T00:00:00Z" },
  ]);
});
afterAll(() => t.drop());

describe("the runner", () => {
  test("executes a queued run in the background (a row left in the queue is picked up after a restart)", async () => {
    const runId = await queue(1); // queued before any runner exists, as if the server restarted
    const runner = runnerFor(t.db);
    runner.start();
    try {
      await vi.waitFor(async () => expect(await statusOf(runId)).toBe("succeeded"), { timeout: 30_000, interval: 50 });
    } finally {
      await runner.stop();
    }
    const run = (await getRun(t.db, runId))!;
    expect(run).toMatchObject({ started_by: "admin@example.com", worker_pid: process.pid, trades_read: 5 });
    expect(run.allocations_written).toBeGreaterThan(0);
    expect(await allocationRows(t.db, 1)).toHaveLength(run.allocations_written);
  });

  test("wake() starts a newly queued run without waiting for the next poll", async () => {
    const runner = runnerFor(t.db, { pollIntervalMs: 60_000 });
    runner.start();
    try {
      await vi.waitFor(() => expect(runner.executing()).toEqual([]), { timeout: 10_000 }); // first poll done
      const runId = await queue(7);
      runner.wake();
      await vi.waitFor(async () => expect(await statusOf(runId)).toBe("succeeded"), { timeout: 30_000, interval: 50 });
    } finally {
      await runner.stop();
    }
  });

  test("a second run of the same version is refused while the first is queued, and allowed after it ends", async () => {
    const first = await queue(2);
    const refused = queue(2, { startedBy: "someone-else@example.com" });
    await expect(refused).rejects.toBeInstanceOf(RunConflictError);
    await expect(refused).rejects.toThrow(`run #${first} (queued), started by admin@example.com`);
    await runnerFor(t.db).drain();
    expect(await statusOf(first)).toBe("succeeded");
    const again = await queue(2);
    await runnerFor(t.db).drain();
    expect(await statusOf(again)).toBe("succeeded");
  });

  test("a paused queue holds runs back until it is resumed", async () => {
    await setQueuePaused(t.db, true);
    const runId = await queue(9);
    await runnerFor(t.db).drain();
    expect(await statusOf(runId)).toBe("queued");
    await setQueuePaused(t.db, false);
    await runnerFor(t.db).drain();
    expect(await statusOf(runId)).toBe("succeeded");
  });

  test("a run whose executor crashes is marked failed, and the runner goes on", async () => {
    const crashing: RunExecutor = async () => {
      throw new Error("worker exploded");
    };
    const runId = await queue(8);
    await runnerFor(t.db, { execute: crashing }).drain();
    const run = (await getRun(t.db, runId))!;
    expect(run.status).toBe("failed");
    expect(run.errors.map((e) => e.message).join(" ")).toContain("worker exploded");
  });
});

describe("cancelling", () => {
  test("a queued run is cancelled at once, never executes, and the version keeps its allocations", async () => {
    const before = await allocationRows(t.db, 1);
    const runId = await queue(1);
    expect(await cancelRun(t.db, runId, "admin@example.com")).toMatchObject({ kind: "cancelled" });
    await runnerFor(t.db).drain();
    const run = (await getRun(t.db, runId))!;
    expect(run).toMatchObject({ status: "cancelled", started_at: null, cancel_requested: true });
    expect(run.errors[0]!.message).toBe("cancelled by admin@example.com before it started");
    expect(await allocationRows(t.db, 1)).toEqual(before);
    expect(await cancelRun(t.db, runId, "admin@example.com")).toMatchObject({ kind: "not_active" });
  });

  test("a running run stops after it rewrote the allocations in its transaction; they roll back", async () => {
    // A new trade that a finished run would allocate: the cancelled run must leave no trace of it.
    await insertTrades(t.db, [{ side: "sell", size: "1", price: "130", time: "2025-01-04T00:00:00Z" }]);
    const before = await allocationRows(t.db, 1);
    let cancelling: Promise<unknown> | null = null;
    // On PostgreSQL "writing" is published after the new allocations were written inside the run's
    // transaction. PGlite computes first and writes in one short transaction that publishes
    // nothing (its one connection would wait for it): the cancel comes with the first progress,
    // and the write transaction checks it before committing.
    const cancelNow = (phase: string) => (t.db.engine === "postgres" ? phase === "writing" : true);
    const cancelWhileWriting: RunExecutor = (db, runId) =>
      executeRun(db, runId, {
        alreadyClaimed: true,
        onProgress: (progress) => {
          if (cancelNow(progress.phase)) cancelling ??= cancelRun(db, runId, "admin@example.com");
        },
      });
    const runId = await queue(1);
    await runnerFor(t.db, { execute: cancelWhileWriting }).drain();
    expect(cancelling).not.toBeNull();
    expect(await cancelling).toMatchObject({ kind: "stopping" });
    const run = (await getRun(t.db, runId))!;
    expect(run.status).toBe("cancelled");
    expect(await allocationRows(t.db, 1)).toEqual(before);

    // The same run without the cancel does change them, so the comparison above meant something.
    const rerun = await queue(1);
    await runnerFor(t.db).drain();
    expect(await statusOf(rerun)).toBe("succeeded");
    expect(await allocationRows(t.db, 1)).not.toEqual(before);
  });
});

describe("dead workers", () => {
  test("a running run of a process that died is marked failed at startup; the old allocations stay", async () => {
    const before = await allocationRows(t.db, 1);
    const [dead] = await t.db.query<{ id: number }>(
      `INSERT INTO fifo_computation_log (allocation_version, mode, status, started_by, started_at, heartbeat_at, worker_pid)
       VALUES (1, 'full', 'running', 'admin@example.com', now() - interval '1 hour', now() - interval '1 hour', 999999)
       RETURNING id`,
    );
    await runnerFor(t.db).drain();
    const run = (await getRun(t.db, dead!.id))!;
    expect(run.status).toBe("failed");
    expect(run.errors[0]!.message).toContain("stale");
    expect(await allocationRows(t.db, 1)).toEqual(before);
    // The version is free again.
    const next = await queue(1);
    await runnerFor(t.db).drain();
    expect(await statusOf(next)).toBe("succeeded");
  });

  test.runIf(usingRealServer)("two server processes never execute the same run (SKIP LOCKED claim)", async () => {
    const other = t.connect(); // a second connection pool, as a second server process would have
    const executed: number[] = [];
    const counting: RunExecutor = async (db, runId) => {
      executed.push(runId);
      return executeRun(db, runId, { alreadyClaimed: true });
    };
    const ids = [await queue(11), await queue(12), await queue(13), await queue(14)];
    await Promise.all([
      runnerFor(t.db, { execute: counting }).drain(),
      runnerFor(other, { execute: counting }).drain(),
    ]);
    expect([...executed].sort()).toEqual([...ids].sort());
    for (const id of ids) expect(await statusOf(id)).toBe("succeeded");
  });
});
