// Loads a synthetic trade history (lib/seed) into trade_records with COPY, in batches, streaming
// from the generator: a million rows never sit in memory. One transaction: a failed or
// interrupted seed leaves the table as it was.
import { DEFAULT_SEED, generateHistory, type SeedRow, type SeedStats } from "@/lib/seed/generate";
import type { CopyRow, SqlClient } from "./sql-client";

export const TRADE_COLUMNS = [
  "id",
  "symbol",
  "side",
  "size",
  "price",
  "fee_usd",
  "order_time",
  "status",
  "source",
  "parent_id",
  "pnl_usd",
  "remaining_size",
] as const;

const BATCH_ROWS = 100_000;
const REBUILD_INDEXES_FROM = 50_000;
const PROGRESS_EVERY = 10_000;

export type SeedRefusal = "not_migrated" | "not_empty";

/** The database is not in a state to seed; nothing was written. */
export class SeedRefusedError extends Error {
  constructor(
    readonly reason: SeedRefusal,
    message: string,
  ) {
    super(message);
    this.name = "SeedRefusedError";
  }
}

export interface SeedProgress {
  rows: number;
  trades: number;
  elapsedMs: number;
}

export interface SeedTradesOptions {
  trades: number;
  symbols?: number;
  seed?: number;
  /** Add to a trade_records table that already has rows (refused otherwise). */
  append?: boolean;
  onProgress?: (progress: SeedProgress) => void;
}

export interface SeedResult extends SeedStats {
  seed: number;
  /** Rows trade_records held before the seed. */
  existingRows: number;
  durationMs: number;
}

/** Why this database cannot be seeded (null when it can). Read-only. */
export async function seedBlocker(db: SqlClient, append: boolean): Promise<SeedRefusedError | null> {
  const [table] = await db.query<{ exists: boolean }>("SELECT to_regclass('trade_records') IS NOT NULL AS exists");
  if (!table?.exists) {
    return new SeedRefusedError(
      "not_migrated",
      "trade_records does not exist: this database is not migrated. Run `npm run db:migrate` first, then seed again.",
    );
  }
  const columns = await db.query<{ name: string }>(
    `SELECT attname AS name FROM pg_attribute
     WHERE attrelid = 'trade_records'::regclass AND attnum > 0 AND NOT attisdropped`,
  );
  const present = new Set(columns.map((c) => c.name));
  const missing = TRADE_COLUMNS.filter((c) => !present.has(c));
  if (missing.length > 0) {
    return new SeedRefusedError(
      "not_migrated",
      `trade_records lacks the column(s) ${missing.join(", ")}: this database is not migrated. Run \`npm run db:migrate\` first.`,
    );
  }
  if (!append) {
    const [row] = await db.query<{ has_rows: boolean }>("SELECT EXISTS (SELECT 1 FROM trade_records) AS has_rows");
    if (row?.has_rows) {
      return new SeedRefusedError(
        "not_empty",
        "trade_records already has rows. Refusing to mix synthetic trades into what may be a real bot's history.\n" +
          "Seed an empty database, or pass --append if you really mean to add synthetic trades to these rows.",
      );
    }
  }
  return null;
}

/** Generates `trades` rows and loads them into trade_records. Throws SeedRefusedError when it must not. */
export async function seedTrades(db: SqlClient, options: SeedTradesOptions): Promise<SeedResult> {
  const started = performance.now();
  const blocker = await seedBlocker(db, options.append ?? false);
  if (blocker) throw blocker;
  return db.transaction(async (tx) => {
    // Keeps the bot (or a second seed) from inserting between our emptiness check, the ids we
    // pick and the sequence we advance. Reads still go on.
    await tx.exec("LOCK TABLE trade_records IN SHARE ROW EXCLUSIVE MODE");
    const blockerNow = await seedBlocker(tx, options.append ?? false);
    if (blockerNow) throw blockerNow;

    const [ids] = await tx.query<{ rows: number; max_id: number; seq: string | null }>(
      `SELECT count(*)::int AS rows, coalesce(max(id), 0)::bigint AS max_id,
              pg_get_serial_sequence('trade_records', 'id') AS seq FROM trade_records`,
    );
    let sequenceAt = 0;
    if (ids!.seq) {
      const [last] = await tx.query<{ last: number | null }>("SELECT pg_sequence_last_value($1::regclass) AS last", [ids!.seq]);
      sequenceAt = last?.last ?? 0;
    }
    const seed = options.seed ?? DEFAULT_SEED;
    const history = generateHistory({
      trades: options.trades,
      symbols: options.symbols,
      seed,
      firstId: Math.max(ids!.max_id, sequenceAt) + 1,
    });

    // Ids are assigned here, in insertion order; rows reach COPY in the order their old-system
    // values become final (a buy waits until the old matcher is done with its remaining_size).
    // Into an empty table, building the secondary indexes once at the end is several times
    // faster than maintaining them row by row (PostgreSQL's "Populating a Database" advice). The
    // drop is part of this transaction, so a failed seed leaves them in place.
    const rebuild = ids!.rows === 0 && options.trades >= REBUILD_INDEXES_FROM ? await dropSecondaryIndexes(tx) : [];
    const rows = history.rows;
    let written = 0;
    let done = false;
    const report = () => options.onProgress?.({ rows: written, trades: options.trades, elapsedMs: performance.now() - started });
    function* batch(): Generator<CopyRow> {
      for (let n = 0; n < BATCH_ROWS; n++) {
        const next = rows.next();
        if (next.done) {
          done = true;
          return;
        }
        yield toCopyRow(next.value);
        if (++written % PROGRESS_EVERY === 0) report();
      }
    }
    while (!done) await tx.copyIn("trade_records", TRADE_COLUMNS, batch());
    report();
    for (const definition of rebuild) await tx.exec(definition);

    const stats = history.stats;
    if (ids!.seq && stats.trades > 0) {
      await tx.query("SELECT setval($1::regclass, $2)", [ids!.seq, Math.max(stats.lastId, sequenceAt)]);
    }
    await tx.exec("ANALYZE trade_records");
    return {
      ...stats,
      seed,
      existingRows: ids!.rows,
      durationMs: performance.now() - started,
    };
  });
}

/** A few thousand demo trades for a fresh database (first `npm start`). Refuses a non-empty table. */
export function seedDemoData(
  db: SqlClient,
  options: { trades: number; symbols?: number; seed?: number },
): Promise<SeedResult> {
  return seedTrades(db, { ...options, append: false });
}

/** Drops trade_records' indexes that back no constraint; returns their definitions. */
async function dropSecondaryIndexes(tx: SqlClient): Promise<string[]> {
  const indexes = await tx.query<{ name: string; definition: string }>(
    `SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS name, pg_get_indexdef(i.indexrelid) AS definition
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE i.indrelid = 'trade_records'::regclass
       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
     ORDER BY c.relname`,
  );
  for (const index of indexes) await tx.exec(`DROP INDEX ${index.name}`);
  return indexes.map((index) => index.definition);
}

function toCopyRow(row: SeedRow): CopyRow {
  return [
    row.id,
    row.symbol,
    row.side,
    row.size,
    row.price,
    row.feeUsd,
    row.orderTime,
    row.status,
    row.source,
    row.parentId,
    row.pnlUsd,
    row.remainingSize,
  ];
}
