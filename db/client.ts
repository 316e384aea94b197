// The process-wide database: PostgreSQL when DATABASE_URL is set, otherwise embedded PGlite on disk
// under ./.data/ (override with PGLITE_DIR). One instance per process, kept on globalThis so
// Next.js module reloading never opens a second PGlite on the same directory.
import path from "node:path";
import { lockDataDir } from "./embedded-lock";
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

/** Opens a new client for the given settings. Most code wants getDb() instead. */
export async function openDatabase(env: NodeJS.ProcessEnv = process.env): Promise<SqlClient> {
  if (env.DATABASE_URL) return createPostgresClient(env.DATABASE_URL);
  const dataDir = env.PGLITE_DIR ?? DEFAULT_PGLITE_DIR;
  const release = lockDataDir(dataDir);
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

const holder = globalThis as typeof globalThis & { __fifoDb?: Promise<SqlClient> };

export function getDb(): Promise<SqlClient> {
  holder.__fifoDb ??= openDatabase().catch((error) => {
    holder.__fifoDb = undefined;
    throw error;
  });
  return holder.__fifoDb;
}

export async function closeDb(): Promise<void> {
  const pending = holder.__fifoDb;
  holder.__fifoDb = undefined;
  if (pending) await (await pending).close();
}

/** Makes getDb() return this client: tests and scripts that opened their own database. */
export function setDb(db: SqlClient | undefined): void {
  holder.__fifoDb = db ? Promise.resolve(db) : undefined;
}
