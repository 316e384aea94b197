// /api/health and /api/metrics called as route handlers against a real database: health answers
// without a session and shows states only; metrics need the token (or an admin) and print valid
// Prometheus text whose figures are the database's own.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { setDb } from "@/db/client";
import { setQueuePaused } from "@/db/queries/runs";
import type { SqlClient } from "@/db/sql-client";
import { GET as health } from "@/app/api/health/route";
import { GET as metrics } from "@/app/api/metrics/route";
import { computeAllocations } from "@/lib/compute/run-computation";
import { startRunner, stopRunner } from "@/lib/jobs/runner";
import { checkHealth, runnerState, RUNNER_STALL_MS } from "@/lib/monitoring/health";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { signInAs, signOut } from "../helpers/auth";
import { insertTrades } from "../helpers/trades";

let t: TestDatabase;
const TOKEN = "metrics-token-0123456789abcdef";

beforeAll(async () => {
  t = await createTestDatabase();
  setDb(t.db);
  await insertTrades(t.db, [
    { side: "buy", size: "1", price: "100", time: "2025-01-01T00:00:00Z" },
    { side: "sell", size: "1", price: "150", time: "2025-01-02T00:00:00Z", oldPnl: "40.25" },
    // 2 x 10,000 USD that nothing covers: a critical unmatched sell
    { side: "sell", size: "2", price: "10000", time: "2025-01-03T00:00:00Z", oldPnl: "0" },
  ]);
  await computeAllocations(t.db, { version: 1, symbols: null, mode: "full", startedBy: "test" });
  // a paused queue holding one run of version 2, so the runner below never executes it
  await setQueuePaused(t.db, true);
  await t.db.query("INSERT INTO fifo_computation_log (allocation_version, mode, status, started_by) VALUES (2, 'full', 'queued', 'test')");
  startRunner({ database: async () => t.db, pollIntervalMs: 50, log: () => {} });
  await new Promise((resolve) => setTimeout(resolve, 300));
});
afterEach(() => {
  signOut();
  delete process.env.METRICS_TOKEN;
  delete process.env.FIFO_RUNNER;
});
afterAll(async () => {
  await stopRunner();
  setDb(undefined);
  await t.drop();
});

const scrape = (authorization?: string) => metrics(new Request("http://127.0.0.1/api/metrics", { headers: authorization ? { authorization } : {} }));

describe("/api/health", () => {
  test("answers without a session: up, database reachable, migrations current, runner alive; no data", async () => {
    const response = await health();
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ status: "ok", up: true, database: "reachable", migrations: "current", runner: "alive" });
  });

  test("503 naming the problem: migrations pending, database unreachable, runner stalled", async () => {
    const bare = await createTestDatabase({ migrated: false });
    try {
      expect(await checkHealth(async () => bare.db, "alive")).toMatchObject({ status: "unhealthy", database: "reachable", migrations: "pending" });
    } finally {
      await bare.drop();
    }
    const broken = { query: () => Promise.reject(new Error("connection refused")) } as unknown as SqlClient;
    expect(await checkHealth(async () => broken, "alive")).toMatchObject({ status: "unhealthy", database: "unreachable", migrations: "unknown" });
    const hanging = { query: () => new Promise(() => {}) } as unknown as SqlClient;
    expect(await checkHealth(async () => hanging, "alive", 50)).toMatchObject({ status: "unhealthy", database: "timeout" });
    expect(await checkHealth(async () => t.db, "stalled")).toMatchObject({ status: "unhealthy", database: "reachable", migrations: "current" });
  });

  test("runner states: off on purpose is healthy; no poll for a minute is a stall", async () => {
    const now = 1_000_000;
    expect(runnerState({ lastPollAt: () => now - 1000 }, {}, now)).toBe("alive");
    expect(runnerState({ lastPollAt: () => now - RUNNER_STALL_MS - 1 }, {}, now)).toBe("stalled");
    expect(runnerState({ lastPollAt: () => null }, {}, now)).toBe("starting");
    expect(runnerState(null, {}, now)).toBe("not_started");
    expect(runnerState(null, { FIFO_RUNNER: "off" }, now)).toBe("off");
    process.env.FIFO_RUNNER = "off";
    expect(await (await health()).json()).toMatchObject({ status: "ok", runner: "off" });
  });
});

describe("/api/metrics", () => {
  test("refuses without the token, with a wrong one, and with a too short METRICS_TOKEN", async () => {
    expect((await scrape()).status).toBe(401);
    process.env.METRICS_TOKEN = TOKEN;
    expect((await scrape()).status).toBe(401);
    expect((await scrape(`Bearer ${TOKEN}x`)).status).toBe(401);
    expect((await scrape(`Basic ${TOKEN}`)).status).toBe(401);
    process.env.METRICS_TOKEN = "short";
    expect((await scrape("Bearer short")).status).toBe(401);
  });

  test("a viewer's session is refused, an admin's accepted", async () => {
    await signInAs(t.db, "viewer");
    expect((await scrape()).status).toBe(401);
    await signInAs(t.db, "admin");
    expect((await scrape()).status).toBe(200);
  });

  test("with the token: Prometheus text whose figures match the database", async () => {
    process.env.METRICS_TOKEN = TOKEN;
    const response = await scrape(`Bearer ${TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const text = await response.text();
    // every line is a HELP, a TYPE, or `name{labels} value`
    for (const line of text.trimEnd().split("\n")) {
      expect(line).toMatch(/^(# HELP [a-z_]+ .+|# TYPE [a-z_]+ gauge|[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? -?\d+(\.\d+)?)$/);
    }
    const value = (sample: string) => text.split("\n").find((l) => l.startsWith(`${sample} `))?.slice(sample.length + 1);
    expect(value("fifo_up")).toBe("1");
    expect(value("fifo_database_up")).toBe("1");
    expect(value("fifo_migrations_pending")).toBe("0");
    expect(value("fifo_runner_alive")).toBe("1");
    expect(value("fifo_runner_queue_length")).toBe("1");
    expect(value("fifo_runner_paused")).toBe("1");

    const open = await t.db.query<{ severity: string; n: number }>(
      `SELECT s.severity, count(q.id)::int AS n FROM unnest(array['low', 'medium', 'high', 'critical']) AS s(severity)
       LEFT JOIN manual_review_queue q ON q.severity = s.severity AND q.allocation_version = 1 AND q.status IN ('pending', 'in_review')
       GROUP BY s.severity`,
    );
    expect(open.find((o) => o.severity === "critical")!.n).toBeGreaterThan(0);
    for (const { severity, n } of open) expect(value(`fifo_review_open_items{version="1",severity="${severity}"}`)).toBe(String(n));
    expect(value('fifo_last_run_status{version="1",status="succeeded"}')).toBe("1");
    expect(value('fifo_last_run_status{version="1",status="failed"}')).toBe("0");
    expect(value('fifo_last_run_status{version="2",status="queued"}')).toBe("1");
    expect(Number(value('fifo_last_run_age_seconds{version="1"}'))).toBeGreaterThanOrEqual(0);
    // new PnL 50 (150 - 100) against the old system's 40.25 + 0: drift 9.75, exact
    expect(Number(value('fifo_pnl_drift_usd{version="1"}'))).toBe(9.75);
    expect(value('fifo_pnl_drift_usd{version="1"}')).toMatch(/^9\.750*$/);
    expect(value('fifo_realized_pnl_usd{version="1",system="old"}')).toMatch(/^40\.250*$/);
  });
});
