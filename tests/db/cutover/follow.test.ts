// Parallel operation: a version that follows the bot. The background runner's poll queues an
// incremental run when the interval passed and the trades changed, never a second one while one
// is queued or running, and nothing when no trade came in.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { setFollow } from "@/db/queries/follow";
import { deleteVersion } from "@/db/queries/version-admin";
import type { SqlClient } from "@/db/sql-client";
import { computeAllocations } from "@/lib/compute/run-computation";
import { queueDueFollowRuns } from "@/lib/jobs/follow";
import { createRunner } from "@/lib/jobs/runner";
import { createTestDatabase, type TestDatabase } from "../../helpers/database";
import { insertTrades } from "../../helpers/trades";

let t: TestDatabase;
const runnerFor = (db: SqlClient) => createRunner({ database: async () => db, pollIntervalMs: 25, log: () => {} });

const runs = (version: number) =>
  t.db.query<{ id: number; mode: string; status: string; started_by: string }>(
    "SELECT id, mode, status, started_by FROM fifo_computation_log WHERE allocation_version = $1 ORDER BY id",
    [version],
  );
const sellsAllocated = async (version: number) =>
  (await t.db.query<{ sell_trade_id: number }>(
    "SELECT DISTINCT sell_trade_id FROM fifo_allocations WHERE allocation_version = $1 ORDER BY 1",
    [version],
  )).map((r) => r.sell_trade_id);
/** As if the interval had passed since the last check. */
const intervalPasses = (version: number) =>
  t.db.query("UPDATE fifo_version_follow SET last_checked_at = last_checked_at - interval '61 seconds' WHERE allocation_version = $1", [version]);

beforeAll(async () => {
  t = await createTestDatabase();
  await insertTrades(t.db, [
    { id: 1, side: "buy", size: "2", price: "100", time: "2025-03-01T10:00:00Z" },
    { id: 2, side: "sell", size: "1", price: "110", time: "2025-03-01T11:00:00Z", parentId: 1, oldPnl: "10" },
  ]);
  const first = await computeAllocations(t.db, { version: 1, symbols: null, mode: "full", startedBy: "test" });
  expect(first.status).toBe("succeeded");
});
afterAll(() => t.drop());

describe("following the bot", () => {
  test("the runner picks up new trades with an incremental run, once per interval", async () => {
    await setFollow(t.db, { version: 1, enabled: true, changedBy: "admin@example.com" });
    const runner = runnerFor(t.db);

    // First check: no follow run yet, so one is queued and executed.
    await runner.drain();
    let log = await runs(1);
    expect(log).toHaveLength(2);
    expect(log[1]).toMatchObject({ mode: "incremental", status: "succeeded", started_by: "follow" });

    // The bot trades. Within the interval nothing happens yet.
    await insertTrades(t.db, [
      { id: 3, side: "buy", size: "1", price: "105", time: "2025-03-02T09:00:00Z" },
      { id: 4, side: "sell", size: "1.5", price: "120", time: "2025-03-02T10:00:00Z", parentId: 3, oldPnl: "15" },
    ]);
    await runner.drain();
    expect(await runs(1)).toHaveLength(2);
    expect(await sellsAllocated(1)).toEqual([2]);

    // The interval passes: the new sell is allocated by an incremental run.
    await intervalPasses(1);
    await runner.drain();
    log = await runs(1);
    expect(log).toHaveLength(3);
    expect(log[2]).toMatchObject({ mode: "incremental", status: "succeeded", started_by: "follow" });
    expect(await sellsAllocated(1)).toEqual([2, 4]);
    const [sell4] = await t.db.query<{ pnl: string }>(
      "SELECT sum(pnl_usd)::text AS pnl FROM fifo_allocations WHERE allocation_version = 1 AND sell_trade_id = 4",
    );
    // 1 from buy 1 (the rest of it) at 100, 0.5 from buy 3 at 105: 1*20 + 0.5*15
    expect(sell4!.pnl).toBe("27.5");

    // No new trade: the next due check queues nothing.
    await intervalPasses(1);
    await runner.drain();
    expect(await runs(1)).toHaveLength(3);
  });

  test("does not pile up runs: a version with a queued run is not checked", async () => {
    await insertTrades(t.db, [{ id: 5, side: "buy", size: "1", price: "99", time: "2025-03-03T09:00:00Z" }]);
    await intervalPasses(1);
    const first = await queueDueFollowRuns(t.db);
    expect(first).toHaveLength(1);
    await intervalPasses(1);
    expect(await queueDueFollowRuns(t.db)).toEqual([]);
    expect((await runs(1)).filter((r) => r.status === "queued")).toHaveLength(1);
    await runnerFor(t.db).drain();
    expect((await runs(1)).at(-1)).toMatchObject({ id: first[0], status: "succeeded" });
  });

  test("a failed follow run is retried at the next interval even without new trades", async () => {
    await t.db.query("UPDATE fifo_computation_log SET status = 'failed' WHERE id = (SELECT max(id) FROM fifo_computation_log)");
    await intervalPasses(1);
    expect(await queueDueFollowRuns(t.db)).toHaveLength(1);
    await runnerFor(t.db).drain();
  });

  test("a deleted version is not brought back by following", async () => {
    await computeAllocations(t.db, { version: 4, symbols: null, mode: "full", startedBy: "test" });
    await setFollow(t.db, { version: 4, enabled: true, changedBy: "admin@example.com" });
    await deleteVersion(t.db, 4, "admin@example.com");
    const before = (await runs(4)).length;
    await runnerFor(t.db).drain();
    expect(await runs(4)).toHaveLength(before);
    expect(await sellsAllocated(4)).toEqual([]);
  });

  test("turned off, the version is left alone", async () => {
    await setFollow(t.db, { version: 1, enabled: false, changedBy: "admin@example.com" });
    await insertTrades(t.db, [{ id: 6, side: "sell", size: "0.5", price: "130", time: "2025-03-04T09:00:00Z" }]);
    await intervalPasses(1);
    const before = (await runs(1)).length;
    await runnerFor(t.db).drain();
    expect(await runs(1)).toHaveLength(before);
    expect(await sellsAllocated(1)).not.toContain(6);
  });
});
