// Two server processes (real child processes, each with its own runner and pool) share one queue
// while runs are queued and cancelled at random: every run is executed by at most one process, every
// run ends, none is left blocking, and each version's allocations equal a fresh computation.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { RunConflictError } from "@/db/compute/runs";
import { computeAllocations, enqueueRun } from "@/lib/compute/run-computation";
import { cancelRun } from "@/lib/jobs/cancel";
import { createTestDatabase, usingRealServer, type TestDatabase } from "../../helpers/database";
import { allocationRows, insertSyntheticTrades } from "../../helpers/trades";

const root = path.resolve(import.meta.dirname, "..", "..", "..");
let t: TestDatabase;
const processes: { child: ChildProcess; output: string[] }[] = [];

function startServer(url: string) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(root, "tests", "db", "fixtures", "runner-process.ts")],
    { cwd: root, env: { ...process.env, DATABASE_URL: url }, stdio: ["ignore", "pipe", "pipe"] },
  );
  const output: string[] = [];
  child.stdout!.on("data", (d: Buffer) => output.push(...d.toString().split("\n").filter(Boolean)));
  child.stderr!.on("data", () => {});
  processes.push({ child, output });
  return output;
}

beforeAll(async () => {
  if (!usingRealServer) return;
  t = await createTestDatabase();
  await insertSyntheticTrades(t.db, 8000, 4);
}, 120_000);
afterAll(async () => {
  for (const { child } of processes) if (child.exitCode === null) child.kill("SIGKILL");
  if (usingRealServer) await t.drop();
});

describe.runIf(usingRealServer)("two server processes, one queue", () => {
  test("runs and cancels interleaved: each run executed once, all end, versions consistent", async () => {
    const outputs = [startServer(t.url!), startServer(t.url!)];
    await vi.waitFor(() => expect(outputs.every((o) => o.includes("runner started"))).toBe(true), { timeout: 60_000, interval: 100 });

    const versions = [1, 2, 3];
    const queued: number[] = [];
    const cancelled: number[] = [];
    for (let i = 0; i < 15; i++) {
      const version = versions[i % versions.length]!;
      try {
        queued.push(await enqueueRun(t.db, { version, symbols: null, mode: "full", startedBy: "admin@example.com" }));
      } catch (error) {
        if (!(error instanceof RunConflictError)) throw error; // the version is busy: fine, that is the rule
      }
      if (Math.random() < 0.4 && queued.length) {
        const victim = queued[Math.floor(Math.random() * queued.length)]!;
        const outcome = await cancelRun(t.db, victim, "admin@example.com");
        if (outcome.kind !== "not_active") cancelled.push(victim);
      }
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 300));
    }
    await vi.waitFor(
      async () => {
        const [{ n }] = (await t.db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM fifo_computation_log WHERE status IN ('queued', 'running')",
        )) as [{ n: number }];
        expect(n).toBe(0);
      },
      { timeout: 120_000, interval: 250 },
    );

    const runs = await t.db.query<{ id: number; status: string; allocation_version: number; errors: unknown }>(
      "SELECT id, status, allocation_version, errors FROM fifo_computation_log ORDER BY id",
    );
    expect(runs.map((r) => r.id).sort()).toEqual([...queued].sort());
    for (const run of runs) expect(["succeeded", "cancelled"], `run #${run.id}: ${JSON.stringify(run.errors)}`).toContain(run.status);
    // A cancel flagged after a run's last checkpoint may lose the race to its commit: either end is clean.
    expect(runs.filter((r) => r.status === "cancelled").length).toBeLessThanOrEqual(cancelled.length);
    // No run executed twice, across both processes.
    const executions = outputs.flat().filter((line) => line.startsWith("executing run #"));
    expect(new Set(executions).size).toBe(executions.length);

    // Each version with a successful run holds exactly what a fresh computation gives.
    await computeAllocations(t.db, { version: 99, symbols: null, mode: "full", startedBy: "test" });
    const fresh = await allocationRows(t.db, 99);
    for (const version of versions) {
      if (runs.some((r) => r.allocation_version === version && r.status === "succeeded")) {
        expect(await allocationRows(t.db, version)).toEqual(fresh);
      }
    }
  }, 240_000);
});
