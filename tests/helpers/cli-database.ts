// A database that child processes (the CLI scripts) can open too: a fresh database on the real
// server when TEST_DATABASE_URL is set, otherwise a PGlite directory that the test opens only
// between CLI calls (PGlite allows one process per directory).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "@/db/client";
import type { SqlClient } from "@/db/sql-client";
import { createTestDatabase, type TestDatabase } from "./database";

export interface CliDatabase {
  env: Record<string, string | undefined>;
  /** Opens the database for the test, runs fn, closes it again (so the CLI can open it). */
  use<T>(fn: (db: SqlClient) => Promise<T>): Promise<T>;
  drop(): Promise<void>;
}

export async function createCliDatabase(): Promise<CliDatabase> {
  if (process.env.TEST_DATABASE_URL) {
    const t: TestDatabase = await createTestDatabase({ migrated: false });
    return {
      env: { DATABASE_URL: t.url!, PGLITE_DIR: undefined },
      use: (fn) => fn(t.db),
      drop: () => t.drop(),
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fifo-cli-"));
  const env = { DATABASE_URL: undefined, PGLITE_DIR: path.join(dir, "pglite") };
  return {
    env,
    use: async (fn) => {
      const db = await openDatabase(env as unknown as NodeJS.ProcessEnv);
      try {
        return await fn(db);
      } finally {
        await db.close();
      }
    },
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
