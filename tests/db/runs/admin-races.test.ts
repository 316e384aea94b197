// What changes which versions exist is serialized: making a version current and deleting it never
// both succeed; rollback refuses while a run is active and never queues behind a busy table.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createRun, getRun } from "@/db/compute/runs";
import { RollbackRefusedError, rollbackFifo } from "@/db/migrations";
import { DatabaseBusyError } from "@/db/postgres-client";
import { cancelQueuedRun } from "@/db/queries/runs";
import { currentVersionSetting, deleteVersion, setCurrentVersion, VersionAdminError } from "@/db/queries/version-admin";
import { computeAllocations } from "@/lib/compute/run-computation";
import { createTestDatabase, usingRealServer, type TestDatabase } from "../../helpers/database";
import { insertTrades } from "../../helpers/trades";

let t: TestDatabase;
const compute = (version: number) => computeAllocations(t.db, { version, symbols: null, mode: "full", startedBy: "test" });
const tableExists = async (name: string) =>
  (await t.db.query<{ ok: boolean }>("SELECT to_regclass($1) IS NOT NULL AS ok", [name]))[0]!.ok;

beforeAll(async () => {
  t = await createTestDatabase();
  await insertTrades(t.db, [
    { side: "buy", size: "1", price: "100", time: "2025-01-01T00:00:00Z" },
    { side: "sell", size: "0.5", price: "120", time: "2025-01-02T00:00:00Z" },
  ]);
});
afterAll(() => t.drop());

describe.runIf(usingRealServer)("version admin races (real connections)", () => {
  test("make-current and delete of the same version at once: exactly one wins, current never points at deleted data", async () => {
    const admins = [t.connect(), t.connect()];
    await compute(1);
    await setCurrentVersion(t.db, 1);
    for (let round = 0; round < 8; round++) {
      const version = 10 + round;
      await compute(version);
      const [made, deleted] = await Promise.allSettled([
        setCurrentVersion(admins[0]!, version),
        deleteVersion(admins[1]!, version, "admin@example.com"),
      ]);
      expect([made.status, deleted.status].sort()).toEqual(["fulfilled", "rejected"]);
      const refusal = (made.status === "rejected" ? made : deleted) as PromiseRejectedResult;
      expect(refusal.reason).toBeInstanceOf(VersionAdminError);
      const current = await currentVersionSetting(t.db);
      const [{ n }] = (await t.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM fifo_allocations WHERE allocation_version = $1",
        [current],
      )) as [{ n: number }];
      expect(n).toBeGreaterThan(0);
      await setCurrentVersion(t.db, 1);
    }
  }, 120_000);
});

describe("rollback", () => {
  test("is refused while a run is queued, changing nothing; allowed once it is cancelled", async () => {
    const runId = await createRun(t.db, { version: 3, symbols: null, mode: "full", startedBy: "admin@example.com" });
    const refused = rollbackFifo(t.db);
    await expect(refused).rejects.toBeInstanceOf(RollbackRefusedError);
    await expect(refused).rejects.toThrow(`run #${runId} (version 3, queued, by admin@example.com) is active`);
    expect(await tableExists("fifo_allocations")).toBe(true);
    expect((await getRun(t.db, runId))!.status).toBe("queued");
    expect(await cancelQueuedRun(t.db, runId, "admin@example.com")).toBe(true);
  });

  test.runIf(usingRealServer)("gives up quickly behind a session holding a FIFO table, instead of blocking everyone behind it", async () => {
    const reader = t.connect();
    let releaseReader!: () => void;
    const readerDone = new Promise<void>((r) => (releaseReader = r));
    let locked!: () => void;
    const readerLocked = new Promise<void>((r) => (locked = r));
    const holding = reader.transaction(async (tx) => {
      await tx.query("SELECT count(*) FROM fifo_allocations"); // a long page read: AccessShareLock until commit
      locked();
      await readerDone;
    });
    await readerLocked;
    const started = Date.now();
    await expect(rollbackFifo(t.db, { lockTimeoutMs: 500 })).rejects.toBeInstanceOf(DatabaseBusyError);
    expect(Date.now() - started).toBeLessThan(5000);
    // Meanwhile nobody queued behind it: a read still answers.
    expect(await tableExists("fifo_allocations")).toBe(true);
    releaseReader();
    await holding;
  });

  test("with no run active, it drops the FIFO tables", async () => {
    const { dropped } = await rollbackFifo(t.db);
    expect(dropped).toContain("fifo_allocations");
    expect(await tableExists("fifo_allocations")).toBe(false);
    expect(await tableExists("trade_records")).toBe(true);
  });
});
