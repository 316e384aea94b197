// Applies the SQL migrations in drizzle/ (drizzle-kit's journal and files) on either engine, and
// undoes the FIFO ones. Bookkeeping uses drizzle's own table (drizzle.__drizzle_migrations) so
// `drizzle-kit migrate` and this runner agree on what is applied.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { SqlClient } from "./sql-client";

export const MIGRATIONS_DIR = fileURLToPath(new URL("../drizzle/", import.meta.url));
/** Migrations from this tag on belong to the FIFO feature and are undone by rollback. */
export const FIFO_MIGRATION_TAG = "0001_fifo_allocations";

export const FIFO_TABLES = [
  "fifo_allocations",
  "fifo_computation_log",
  "fifo_inventory_snapshot",
  "manual_review_queue",
  "manual_review_history",
  "fifo_unmatched_sells",
  "fifo_settings",
  "fifo_version_methods",
  "fifo_inventory_month_end",
] as const;
export const FIFO_VIEWS = ["v_allocation_health", "v_unmatched_sells", "v_pnl_by_symbol", "v_allocation_discrepancies"] as const;
export const SNAPSHOT_TABLE = "historical_pnl_snapshot_20251120";

interface JournalEntry {
  idx: number;
  when: number;
  tag: string;
}

export interface Migration extends JournalEntry {
  statements: string[];
  hash: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const journal = JSON.parse(fs.readFileSync(path.join(dir, "meta", "_journal.json"), "utf8")) as {
    entries: JournalEntry[];
  };
  return journal.entries.map((entry) => {
    const text = fs.readFileSync(path.join(dir, `${entry.tag}.sql`), "utf8");
    return {
      ...entry,
      hash: createHash("sha256").update(text).digest("hex"),
      statements: text
        .split("--> statement-breakpoint")
        .map((s) => s.trim())
        .filter(Boolean),
    };
  });
}

async function ensureBookkeeping(db: SqlClient) {
  await db.exec(`
    CREATE SCHEMA IF NOT EXISTS drizzle;
    CREATE TABLE IF NOT EXISTS drizzle.__drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint);
  `);
}

export async function appliedMigrationTimes(db: SqlClient): Promise<Set<number>> {
  await ensureBookkeeping(db);
  const rows = await db.query<{ created_at: number }>("SELECT created_at FROM drizzle.__drizzle_migrations");
  return new Set(rows.map((r) => Number(r.created_at)));
}

export interface ObjectState {
  name: string;
  kind: "table" | "view";
  existedBefore: boolean;
  existsNow: boolean;
}

export interface MigrateResult {
  applied: string[];
  objects: ObjectState[];
  snapshot: { existedBefore: boolean; rows: number; takenAt: string | null };
}

async function existingRelations(db: SqlClient): Promise<Set<string>> {
  const rows = await db.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'
     UNION ALL SELECT viewname FROM pg_views WHERE schemaname = 'public'`,
  );
  return new Set(rows.map((r) => r.name));
}

/** Applies every pending migration, each in its own transaction. Safe to run again. */
export async function migrate(db: SqlClient): Promise<MigrateResult> {
  const before = await existingRelations(db);
  const applied = await appliedMigrationTimes(db);
  const done: string[] = [];
  for (const migration of readMigrations()) {
    if (applied.has(migration.when)) continue;
    await db.transaction(async (tx) => {
      for (const statement of migration.statements) await tx.exec(statement);
      await tx.query("INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ($1, $2)", [
        migration.hash,
        migration.when,
      ]);
    });
    done.push(migration.tag);
  }
  const after = await existingRelations(db);
  const state = (name: string, kind: ObjectState["kind"]): ObjectState => ({
    name,
    kind,
    existedBefore: before.has(name),
    existsNow: after.has(name),
  });
  const [snapshot] = after.has(SNAPSHOT_TABLE)
    ? await db.query<{ rows: number; taken_at: string | null }>(
        `SELECT count(*)::int AS rows, min(snapshot_taken_at)::text AS taken_at FROM ${SNAPSHOT_TABLE}`,
      )
    : [{ rows: 0, taken_at: null }];
  return {
    applied: done,
    objects: [...FIFO_TABLES.map((t) => state(t, "table")), ...FIFO_VIEWS.map((v) => state(v, "view"))],
    snapshot: { existedBefore: before.has(SNAPSHOT_TABLE), rows: snapshot!.rows, takenAt: snapshot!.taken_at },
  };
}

/** Drops what the FIFO migrations added (not trade_records, users or the snapshot), in one transaction. */
export async function rollbackFifo(db: SqlClient): Promise<{ dropped: string[] }> {
  const fifo = readMigrations().find((m) => m.tag === FIFO_MIGRATION_TAG);
  if (!fifo) throw new Error(`migration ${FIFO_MIGRATION_TAG} is missing from ${MIGRATIONS_DIR}`);
  const down = fs.readFileSync(path.join(MIGRATIONS_DIR, "rollback", "fifo_allocations.down.sql"), "utf8");
  await ensureBookkeeping(db);
  const before = await existingRelations(db);
  await db.transaction(async (tx) => {
    await tx.exec(down);
    await tx.query("DELETE FROM drizzle.__drizzle_migrations WHERE created_at >= $1", [fifo.when]);
  });
  const after = await existingRelations(db);
  return { dropped: [...before].filter((name) => !after.has(name)).sort() };
}

/** Tags of migrations not yet applied; changes nothing (for `npm start` on an operator's database). */
export async function pendingMigrations(db: SqlClient): Promise<string[]> {
  const [exists] = await db.query<{ ok: boolean }>("SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS ok");
  const applied = exists!.ok
    ? new Set((await db.query<{ created_at: number }>("SELECT created_at FROM drizzle.__drizzle_migrations")).map((r) => Number(r.created_at)))
    : new Set<number>();
  return readMigrations().filter((m) => !applied.has(m.when)).map((m) => m.tag);
}
