// Applies the SQL migrations in drizzle/ (drizzle-kit's journal and files) on either engine, and
// undoes the FIFO ones. Bookkeeping uses drizzle's own table (drizzle.__drizzle_migrations) so
// `drizzle-kit migrate` and this runner agree on what is applied.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { activeRuns, markStaleRuns } from "./compute/runs";
import type { SqlClient } from "./sql-client";
import {
  MARK_OWNED_SQL,
  REQUIRE_TRADE_COLUMNS_SQL,
  TRADE_RECORDS_STATE_SQL,
  classifyStatement,
  tradeIndexStatement,
} from "./trade-records-guard";

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
  "fifo_manual_trades",
  "fifo_pnl_differences",
  "fifo_cause_totals",
  "fifo_cause_decisions",
  "fifo_version_methods",
  "fifo_inventory_month_end",
] as const;
export const FIFO_VIEWS = [
  "v_allocation_health",
  "v_unmatched_sells",
  "v_pnl_by_symbol",
  "v_allocation_discrepancies",
  "fifo_trades",
] as const;
/** Ours, and kept by rollback like the snapshot: facts a reviewer entered. */
export const MANUAL_TRADES_TABLE = "fifo_manual_trades";
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
  /** created: by this run; ours: created by an earlier run; bot: the bot's table, left untouched. */
  tradeRecords: "created" | "ours" | "bot";
  /** Indexes on the bot's trade_records this run created because the operator opted in. */
  tradeIndexesCreated: string[];
  /** Indexes on the bot's trade_records left out (add them with --with-trade-indexes). */
  tradeIndexesOffered: string[];
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

export interface MigrateOptions {
  /** Also create our helpful indexes on a bot's trade_records (recorded, and dropped by rollback). */
  withTradeIndexes?: boolean;
}

interface TradeRecordsState {
  trade_records_exists: boolean;
  trade_records_owned: boolean;
}

/** Every index statement on trade_records across the migrations, made idempotent. */
export function tradeIndexStatements(migrations = readMigrations()): { name: string; sql: string }[] {
  return migrations.flatMap((m) =>
    m.statements.filter((s) => classifyStatement(s) === "trade-records-index").map(tradeIndexStatement),
  );
}

async function createTradeIndexes(db: SqlClient): Promise<string[]> {
  const created: string[] = [];
  for (const index of tradeIndexStatements()) {
    await db.transaction(async (tx) => {
      const [exists] = await tx.query<{ ok: boolean }>("SELECT to_regclass($1) IS NOT NULL AS ok", [`public.${index.name}`]);
      if (exists!.ok) return; // the bot's own, or one we made earlier: either way not ours to create
      await tx.exec(index.sql);
      await tx.query("INSERT INTO fifo_trade_indexes (index_name, definition) VALUES ($1, $2) ON CONFLICT DO NOTHING", [
        index.name,
        index.sql,
      ]);
      created.push(index.name);
    });
  }
  return created;
}

/**
 * Applies every pending migration, each in its own transaction. Safe to run again. On a bot's
 * trade_records (one our baseline did not create) no statement touches the table.
 */
export async function migrate(db: SqlClient, options: MigrateOptions = {}): Promise<MigrateResult> {
  await db.exec(REQUIRE_TRADE_COLUMNS_SQL);
  const before = await existingRelations(db);
  const applied = await appliedMigrationTimes(db);
  const [initial] = await db.query<TradeRecordsState>(TRADE_RECORDS_STATE_SQL);
  let exists = initial!.trade_records_exists;
  let owned = initial!.trade_records_owned;
  const done: string[] = [];
  for (const migration of readMigrations()) {
    if (applied.has(migration.when)) continue;
    await db.transaction(async (tx) => {
      for (const statement of migration.statements) {
        const kind = classifyStatement(statement);
        if (kind === "create-trade-records") {
          if (exists) continue;
          await tx.exec(statement);
          await tx.exec(MARK_OWNED_SQL);
          exists = owned = true;
        } else if (kind === "plain" || owned) {
          await tx.exec(statement);
        }
      }
      await tx.query("INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ($1, $2)", [
        migration.hash,
        migration.when,
      ]);
    });
    done.push(migration.tag);
  }
  const tradeIndexesCreated = options.withTradeIndexes && !owned ? await createTradeIndexes(db) : [];
  const offered: string[] = [];
  if (!owned) {
    for (const index of tradeIndexStatements()) {
      const [exists] = await db.query<{ ok: boolean }>("SELECT to_regclass($1) IS NOT NULL AS ok", [`public.${index.name}`]);
      if (!exists!.ok) offered.push(index.name);
    }
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
    tradeRecords: !initial!.trade_records_exists ? "created" : owned ? "ours" : "bot",
    tradeIndexesCreated,
    tradeIndexesOffered: offered,
    objects: [...FIFO_TABLES.map((t) => state(t, "table")), ...FIFO_VIEWS.map((v) => state(v, "view"))],
    snapshot: { existedBefore: before.has(SNAPSHOT_TABLE), rows: snapshot!.rows, takenAt: snapshot!.taken_at },
  };
}

/** Rollback refused: a run is queued or executing (dropping its tables would wait behind it). */
export class RollbackRefusedError extends Error {
  constructor(runs: { id: number; allocation_version: number; status: string; started_by: string }[]) {
    super(
      `Rollback refused: ${runs.map((r) => `run #${r.id} (version ${r.allocation_version}, ${r.status}, by ${r.started_by})`).join(", ")} ` +
        `${runs.length === 1 ? "is" : "are"} active. Wait for ${runs.length === 1 ? "it" : "them"} to finish or cancel ` +
        `${runs.length === 1 ? "it" : "them"} (Runs page), then roll back. Nothing was changed.`,
    );
    this.name = "RollbackRefusedError";
  }
}

/**
 * Drops what the FIFO migrations added (not trade_records, users or the snapshot), in one
 * transaction. Refuses while a run is active, and never waits long for a lock (lockTimeoutMs,
 * default 5 s): a rollback queued behind a busy table would block every query behind it.
 */
export async function rollbackFifo(db: SqlClient, { lockTimeoutMs = 5000 }: { lockTimeoutMs?: number } = {}): Promise<{ dropped: string[] }> {
  const fifo = readMigrations().find((m) => m.tag === FIFO_MIGRATION_TAG);
  if (!fifo) throw new Error(`migration ${FIFO_MIGRATION_TAG} is missing from ${MIGRATIONS_DIR}`);
  const down = fs.readFileSync(path.join(MIGRATIONS_DIR, "rollback", "fifo_allocations.down.sql"), "utf8");
  await ensureBookkeeping(db);
  const before = await existingRelations(db);
  const [log] = await db.query<{ present: boolean }>("SELECT to_regclass('fifo_computation_log') IS NOT NULL AS present");
  if (log!.present) await markStaleRuns(db, new Set()); // a dead run must not block the rollback
  await db.transaction(async (tx) => {
    await tx.exec(`SET LOCAL lock_timeout = '${Math.max(1, Math.floor(lockTimeoutMs))}ms'`);
    if (log!.present) {
      // No run can be queued, claimed or finished until this transaction ends (and then its table is gone).
      await tx.exec("LOCK TABLE fifo_computation_log IN ACCESS EXCLUSIVE MODE");
      const runs = await activeRuns(tx);
      if (runs.length) throw new RollbackRefusedError(runs);
    }
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
