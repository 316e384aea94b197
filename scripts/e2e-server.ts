// The server behind the browser tests (playwright.config.ts webServer): a fresh database (a new
// database on TEST_DATABASE_URL's server, or a PGlite directory under the system temp dir),
// migrated, seeded with demo trades, allocation version 1 computed, the e2e users created; then
// `next start` on E2E_PORT over that database (uses the build in NEXT_DIST_DIR, default .next).
// On SIGTERM/SIGINT or when Next exits, the database is dropped / the directory removed.
//
// Knobs: E2E_PORT (3100), E2E_TRADES (2000 demo trades; 0 = none), E2E_COMPUTE=0 (skip the run).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { withAdminClient as withAdmin } from "@/db/postgres-admin";
import { openDatabase } from "@/db/client";
import { takeHistoricalSnapshotIfEmpty } from "@/db/historical-snapshot";
import { migrate } from "@/db/migrations";
import { createPostgresClient } from "@/db/postgres-client";
import { seedDemoData } from "@/db/seed-writer";
import type { SqlClient } from "@/db/sql-client";
import { createUser } from "@/db/users";
import { computeAllocations } from "@/lib/compute/run-computation";
import { E2E_USERS } from "@/tests/e2e/fixtures/users";

const port = Number(process.env.E2E_PORT ?? 3100);
const trades = Number(process.env.E2E_TRADES ?? 2000);
const root = path.resolve(import.meta.dirname, "..");
const log = (message: string) => console.log(`[e2e-server] ${message}`);

interface Target {
  env: Record<string, string | undefined>;
  open(): Promise<SqlClient>;
  cleanup(): Promise<void>;
}

async function createTarget(): Promise<Target> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) {
    // The port is in the name: a database left by a killed run on the same port is dropped here.
    const prefix = `fifo_e2e_p${port}_`;
    const name = `${prefix}${randomBytes(4).toString("hex")}`;
    await withAdmin(adminUrl, async (admin) => {
      const stale = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${prefix}%`]);
      for (const { datname } of stale.rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${name}`);
    });
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    log(`database ${name} on ${url.host}`);
    return {
      env: { DATABASE_URL: url.toString(), PGLITE_DIR: undefined },
      open: async () => createPostgresClient(url.toString()),
      cleanup: () => withAdmin(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => log(`dropped ${name}`)),
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fifo-e2e-"));
  const env = { DATABASE_URL: undefined, PGLITE_DIR: path.join(dir, "pglite") };
  log(`embedded database in ${env.PGLITE_DIR}`);
  return {
    env,
    open: () => openDatabase(env as unknown as NodeJS.ProcessEnv),
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

async function prepare(db: SqlClient): Promise<void> {
  await migrate(db);
  for (const user of Object.values(E2E_USERS)) await createUser(db, user);
  log(`users: ${Object.values(E2E_USERS).map((u) => `${u.email} (${u.role})`).join(", ")}`);
  if (trades > 0) {
    const seeded = await seedDemoData(db, { trades, symbols: 4, seed: 42 });
    log(`seeded ${seeded.trades} trades`);
    await takeHistoricalSnapshotIfEmpty(db);
    if (process.env.E2E_COMPUTE !== "0") {
      const run = await computeAllocations(db, { version: 1, symbols: null, mode: "full", startedBy: "e2e-server" });
      log(`computed version 1: run #${run.runId} ${run.status}, ${run.allocationsWritten} allocations`);
    }
  }
}

async function main() {
  const target = await createTarget();
  let next: ChildProcess | null = null;
  let cleaning: Promise<void> | null = null;
  const shutdown = (code: number) => {
    cleaning ??= (async () => {
      if (next && next.exitCode === null && next.signalCode === null) {
        next.kill("SIGTERM");
        await new Promise((resolve) => next!.once("exit", resolve));
      }
      await target.cleanup().catch((error: unknown) => console.error("[e2e-server] cleanup failed:", error));
      process.exit(code);
    })();
  };
  process.on("SIGTERM", () => shutdown(0));
  process.on("SIGINT", () => shutdown(0));

  try {
    const db = await target.open();
    try {
      await prepare(db);
    } finally {
      await db.close();
    }
  } catch (error) {
    console.error("[e2e-server] preparing the database failed:", error);
    shutdown(1);
    return;
  }

  const env: Record<string, string | undefined> = { ...process.env, ...target.env, PORT: String(port), NODE_ENV: "production" };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  // The production server as `npm start` runs it (one process here), page cache included.
  log(`page server -p ${port} (build in ${process.env.NEXT_DIST_DIR ?? ".next"})`);
  next = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts", "page-server.ts"), "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    env: env as NodeJS.ProcessEnv,
    stdio: "inherit",
  });
  next.on("exit", (code, signal) => {
    log(`next exited (${code ?? signal})`);
    shutdown(code ?? 0);
  });
}


void main();
