// The process-wide database: PostgreSQL when DATABASE_URL is set, otherwise embedded PGlite on disk
// under ./.data/ (override with PGLITE_DIR). One instance per process, kept on globalThis so
// Next.js module reloading never opens a second PGlite on the same directory.
import path from "node:path";
import { lockDataDirWhenFree } from "./embedded-lock";
import { createPgliteClient } from "./pglite-client";
import { createPostgresClient } from "./postgres-client";
import type { SqlClient } from "./sql-client";

export type { SqlClient } from "./sql-client";

export const DEFAULT_PGLITE_DIR = path.join(".data", "pglite");

export function describeDatabase(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DATABASE_URL) return `PostgreSQL at ${redact(env.DATABASE_URL)}`;
  return `embedded PostgreSQL (PGlite) in ${env.PGLITE_DIR ?? DEFAULT_PGLITE_DIR}`;
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(DATABASE_URL)";
  }
}

/**
 * Opens a new client for the given settings. Most code wants getDb() instead. `purpose: "pages"`
 * gives every statement a time limit (FIFO_QUERY_TIMEOUT_MS, default 60 s) so a page never hangs
 * behind a lock; "work" (runs, scripts) has none.
 */
export async function openDatabase(
  env: NodeJS.ProcessEnv = process.env,
  { purpose = "work" }: { purpose?: "pages" | "work" } = {},
): Promise<SqlClient> {
  if (env.DATABASE_URL) {
    const statementTimeoutMs = purpose === "pages" ? Number(env.FIFO_QUERY_TIMEOUT_MS) || 60_000 : 0;
    // A run uses up to four connections at once (reading, writing, its lock, progress).
    const runs = Math.max(1, Math.floor(Number(env.FIFO_RUNNER_CONCURRENCY) || 1));
    return createPostgresClient(env.DATABASE_URL, purpose === "work" ? { max: Math.max(10, 4 * runs + 2) } : { statementTimeoutMs });
  }
  const dataDir = env.PGLITE_DIR ?? DEFAULT_PGLITE_DIR;
  const release = await lockDataDirWhenFree(dataDir);
  try {
    const client = await createPgliteClient(dataDir);
    const close = client.close.bind(client);
    return Object.assign(client, {
      close: async () => {
        await close();
        release();
      },
    });
  } catch (error) {
    release();
    throw error;
  }
}

const holder = globalThis as typeof globalThis & {
  __fifoDb?: Promise<SqlClient>;
  __fifoWorkDb?: Promise<SqlClient>;
  __fifoDbInjected?: boolean;
};

/** The process-wide database of pages and actions (statements have a time limit on a real server). */
export function getDb(): Promise<SqlClient> {
  holder.__fifoDb ??= openDatabase(process.env, { purpose: "pages" }).catch((error) => {
    holder.__fifoDb = undefined;
    throw error;
  });
  return holder.__fifoDb;
}

/**
 * The background runner's database: on a real server its own small pool without statement time
 * limits, so runs and pages never starve each other; on PGlite the one embedded client.
 */
export function getWorkDb(): Promise<SqlClient> {
  if (holder.__fifoDbInjected || !process.env.DATABASE_URL) return getDb();
  holder.__fifoWorkDb ??= openDatabase(process.env, { purpose: "work" }).catch((error) => {
    holder.__fifoWorkDb = undefined;
    throw error;
  });
  return holder.__fifoWorkDb;
}

export async function closeDb(): Promise<void> {
  const pending = [holder.__fifoDb, holder.__fifoWorkDb];
  holder.__fifoDb = undefined;
  holder.__fifoWorkDb = undefined;
  holder.__fifoDbInjected = false;
  for (const db of pending) if (db) await (await db).close();
}

/** Makes getDb() (and getWorkDb()) return this client: tests and scripts that opened their own database. */
export function setDb(db: SqlClient | undefined): void {
  holder.__fifoDb = db ? Promise.resolve(db) : undefined;
  holder.__fifoWorkDb = undefined;
  holder.__fifoDbInjected = Boolean(db);
}
