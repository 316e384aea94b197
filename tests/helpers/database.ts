// A fresh, empty database for one test file: a new database on the PostgreSQL server named by
// TEST_DATABASE_URL (created here, dropped afterwards), or an in-memory PGlite when it is unset.
import { randomBytes } from "node:crypto";
import { withAdminClient as withAdmin } from "@/db/postgres-admin";
import { createPgliteClient } from "@/db/pglite-client";
import { createPostgresClient } from "@/db/postgres-client";
import type { SqlClient } from "@/db/sql-client";
import { migrate } from "@/db/migrations";

export interface TestDatabase {
  db: SqlClient;
  /** Connection string of the test database (real server only), for child processes. */
  url: string | null;
  /** Opens another, independent connection pool (real server only). */
  connect(): SqlClient;
  drop(): Promise<void>;
}

export const usingRealServer = Boolean(process.env.TEST_DATABASE_URL);

export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  let testDb: TestDatabase;
  if (!adminUrl) {
    const db = await createPgliteClient();
    testDb = {
      db,
      url: null,
      connect: () => {
        throw new Error("a second connection needs a real server (TEST_DATABASE_URL)");
      },
      drop: () => db.close(),
    };
  } else {
    const name = `fifo_test_${process.pid}_${randomBytes(4).toString("hex")}`;
    await withAdmin(adminUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const db = createPostgresClient(url.toString());
    const extra: SqlClient[] = [];
    testDb = {
      db,
      url: url.toString(),
      connect: () => {
        const client = createPostgresClient(url.toString());
        extra.push(client);
        return client;
      },
      drop: async () => {
        await Promise.all([db, ...extra].map((c) => c.close().catch(() => {})));
        await withAdmin(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      },
    };
  }
  if (options.migrated ?? true) await migrate(testDb.db);
  return testDb;
}

