// Load figure: N concurrent signed-in clients browse the dashboard for a while (autocannon over
// real HTTP against `next start` in WEB_CONCURRENCY processes, as `npm start` runs it); reports requests served, p95 latency and errors (goal: 0 errors,
// p95 < 500 ms with 50 clients on the 1M-trade database).
//
// As a module (bench/run.ts): `await dashboardLoad(databaseUrl)` on a migrated database that
// already holds trades and a computed version; it adds a bench user with one session per client,
// starts the built app on that database, measures, and stops it. Or `measureLoad({ baseUrl,
// cookies })` against a server you run yourself.
//
// Alone: `npx tsx bench/load.ts` creates a database on BENCH_DATABASE_URL's server (default
// TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres), seeds LOAD_TRADES (100,000)
// demo trades, computes version 1, measures and drops the database. `--database-url URL` uses an
// existing prepared database instead (nothing is dropped). Needs a build (`npx next build`, in
// NEXT_DIST_DIR when set). Knobs: LOAD_CLIENTS (50), LOAD_SECONDS (30), LOAD_PORT (3190),
// WEB_CONCURRENCY (server processes; default one per core).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import { withAdminClient as withAdmin } from "@/db/postgres-admin";
import { takeHistoricalSnapshotIfEmpty } from "@/db/historical-snapshot";
import { migrate } from "@/db/migrations";
import { createPostgresClient } from "@/db/postgres-client";
import { seedDemoData } from "@/db/seed-writer";
import { createSession } from "@/db/sessions";
import type { SqlClient } from "@/db/sql-client";
import { createUser, findUserByEmail } from "@/db/users";
import { computeAllocations } from "@/lib/compute/run-computation";
import { webConcurrency } from "@/scripts/next-workers";

const root = path.resolve(import.meta.dirname, "..");

/** What a signed-in person looks at: every dashboard page, weighted towards the ones used most. */
export const BROWSED_PATHS = [
  "/", "/review", "/unmatched", "/pnl", "/compare", "/review?status=pending", "/trades", "/allocations",
  "/discrepancies", "/runs", "/review/groups", "/",
] as const;

export interface LoadOptions {
  baseUrl: string;
  /** one `fifo_session` cookie value per client (clients take them round-robin) */
  sessionTokens: string[];
  connections?: number;
  durationSeconds?: number;
  paths?: readonly string[];
}

export interface LoadFigures {
  clients: number;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** connection errors + timeouts + answers other than 200 (a 3xx means a lost session) */
  errors: number;
  non200: Record<string, number>;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Runs the load against a server that is already up. */
export async function measureLoad(options: LoadOptions): Promise<LoadFigures> {
  const connections = options.connections ?? 50;
  const duration = options.durationSeconds ?? 30;
  const paths = options.paths ?? BROWSED_PATHS;
  const latencies: number[] = [];
  const non200: Record<string, number> = {};
  let clientIndex = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.baseUrl,
        connections,
        duration,
        timeout: 10,
        // Each client has its own session and walks the pages starting at its own place.
        setupClient(client) {
          const index = clientIndex++;
          client.setHeaders({ cookie: `fifo_session=${options.sessionTokens[index % options.sessionTokens.length]}` });
          const offset = index % paths.length;
          client.setRequests(paths.map((_, i) => ({ method: "GET", path: paths[(i + offset) % paths.length]! })));
        },
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      // A response without a status is a connection that ended mid-answer.
      if (statusCode !== 200) non200[statusCode ?? "cut"] = (non200[statusCode ?? "cut"] ?? 0) + 1;
    });
  });
  latencies.sort((a, b) => a - b);
  const wrongStatus = Object.values(non200).reduce((sum, n) => sum + n, 0);
  return {
    clients: connections,
    seconds: duration,
    requests: latencies.length,
    requestsPerSecond: Math.round(latencies.length / duration),
    p50Ms: Math.round(percentile(latencies, 50)),
    p95Ms: Math.round(percentile(latencies, 95)),
    p99Ms: Math.round(percentile(latencies, 99)),
    errors: result.errors + result.timeouts + wrongStatus,
    non200,
  };
}

const BENCH_ROLES = ["viewer", "reviewer", "admin"] as const;

/**
 * One person per client, each signed in once (users and sessions created straight in the
 * database): different people never share a cached page, so each client's first view of each
 * page is a real render. Roles rotate viewer, reviewer, admin.
 */
export async function benchSessions(db: SqlClient, clients: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < clients; i++) {
    const email = `load-bench-${i + 1}@example.com`;
    const role = BENCH_ROLES[i % BENCH_ROLES.length]!;
    const user = (await findUserByEmail(db, email)) ?? (await createUser(db, { email, password: randomBytes(12).toString("hex"), role }, { cost: 4 }));
    tokens.push((await createSession(db, user.id)).token);
  }
  return tokens;
}

/**
 * The production server on `databaseUrl` (the existing build) as `npm start` runs it: `next start`
 * in `workers` processes (scripts/next-workers.ts; default WEB_CONCURRENCY, else one per core),
 * resolved once it answers.
 */
export async function startDashboard(
  databaseUrl: string,
  port: number,
  workers = webConcurrency({ ...process.env, DATABASE_URL: databaseUrl }),
  pageCache = process.env.FIFO_PAGE_CACHE !== "off",
): Promise<{ url: string; workers: number; stop(): Promise<void> }> {
  const distDir = process.env.NEXT_DIST_DIR ?? ".next";
  if (!fs.existsSync(path.join(root, distDir, "BUILD_ID"))) {
    throw new Error(`no build in ${distDir}: run \`npx next build\` first (with NEXT_DIST_DIR=${distDir} if set)`);
  }
  const server: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", path.join(root, "scripts", "next-workers.ts"), "-p", String(port), "-H", "127.0.0.1"],
    {
      cwd: root,
      env: {
        ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: "production", FIFO_RUNNER: "off", NEXT_TELEMETRY_DISABLED: "1",
        WEB_CONCURRENCY: String(workers), FIFO_PAGE_CACHE: pageCache ? "on" : "off",
      },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (server.exitCode !== null || server.signalCode !== null) return;
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
  };
  for (let waited = 0; ; waited += 250) {
    if (server.exitCode !== null) throw new Error(`next start exited with ${server.exitCode}`);
    if (await fetch(`${url}/sign-in`).then((r) => r.ok, () => false)) return { url, workers, stop };
    if (waited > 60_000) {
      await stop();
      throw new Error("next start did not answer within 60 s");
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The whole figure on a prepared database: sessions, server, a warm-up pass per worker, the load, stop. */
export async function dashboardLoad(
  databaseUrl: string,
  options: { clients?: number; seconds?: number; port?: number; workers?: number; pageCache?: boolean } = {},
): Promise<LoadFigures & { workers: number; pageCache: boolean }> {
  const clients = options.clients ?? 50;
  const db = createPostgresClient(databaseUrl);
  let tokens: string[];
  try {
    tokens = await benchSessions(db, clients);
  } finally {
    await db.close();
  }
  const pageCache = options.pageCache ?? process.env.FIFO_PAGE_CACHE !== "off";
  const server = await startDashboard(databaseUrl, options.port ?? 3190, options.workers, pageCache);
  try {
    // Warm-up: the first visit of each page compiles nothing in production but fills the read
    // models and loads the page's code; connections go round-robin, so one pass per worker.
    for (let i = 0; i < server.workers; i++) {
      for (const p of BROWSED_PATHS) await fetch(`${server.url}${p}`, { headers: { cookie: `fifo_session=${tokens[0]}` } });
    }
    const figures = await measureLoad({ baseUrl: server.url, sessionTokens: tokens, connections: clients, durationSeconds: options.seconds ?? 30 });
    return { ...figures, workers: server.workers, pageCache };
  } finally {
    await server.stop();
  }
}

export function describeLoad(f: LoadFigures & { workers?: number; pageCache?: boolean }): string {
  const statuses = Object.entries(f.non200).map(([code, n]) => `${n}x ${code}`).join(", ");
  const cache = f.pageCache === undefined ? "" : f.pageCache ? ", page cache on" : ", page cache off: every page rendered";
  const server = f.workers ? ` (${f.workers} server process${f.workers === 1 ? "" : "es"}${cache})` : "";
  return (
    `${f.clients} signed-in clients for ${f.seconds} s${server}: ${f.requests.toLocaleString("en-US")} requests served ` +
    `(${f.requestsPerSecond}/s), p50 ${f.p50Ms} ms, p95 ${f.p95Ms} ms, p99 ${f.p99Ms} ms, ${f.errors} errors` +
    (statuses ? ` (${statuses})` : "")
  );
}

// --- standalone ---------------------------------------------------------------------------------


async function main() {
  const clients = Number(process.env.LOAD_CLIENTS ?? 50);
  const seconds = Number(process.env.LOAD_SECONDS ?? 30);
  const port = Number(process.env.LOAD_PORT ?? 3190);
  const given = process.argv.indexOf("--database-url");
  if (given > 0 && process.argv[given + 1]) {
    console.log(describeLoad(await dashboardLoad(process.argv[given + 1]!, { clients, seconds, port })));
    return;
  }
  const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const trades = Number(process.env.LOAD_TRADES ?? 100_000);
  const name = `fifo_load_${randomBytes(4).toString("hex")}`;
  await withAdmin(adminUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    const db = createPostgresClient(url.toString());
    try {
      process.stderr.write(`load: ${name}, ${trades.toLocaleString("en-US")} trades, computing version 1...\n`);
      await migrate(db);
      await seedDemoData(db, { trades, symbols: 50, seed: 7 });
      await takeHistoricalSnapshotIfEmpty(db);
      await computeAllocations(db, { version: 1, symbols: null, mode: "full", startedBy: "load-bench" });
    } finally {
      await db.close();
    }
    console.log(describeLoad(await dashboardLoad(url.toString(), { clients, seconds, port })));
  } finally {
    await withAdmin(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main().catch((error: unknown) => {
    console.error("load:", error);
    process.exit(1);
  });
}
