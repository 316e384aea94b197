// Seed step 6, "deprecate old columns": after the validation period the old system's parent_id,
// pnl_usd and remaining_size stop being readable from trade_records, while the bot may keep writing
// them. Nothing is dropped and no row is rewritten, so --undo gives back the table byte-identical:
//   - the table is renamed trade_records_base and its three columns legacy_parent_id, ...;
//   - a view named trade_records takes its place: every column in the same order, the three old
//     ones always NULL, with the table's defaults; INSTEAD OF triggers send the bot's INSERT,
//     UPDATE and DELETE to the table (an old value it writes lands in its legacy_ column; an
//     UPDATE that leaves it alone keeps the stored one).
// Views that read the table (ours) follow the rename by themselves. The old values stay in
// historical_pnl_snapshot_20251120, which is first checked and completed.
import { SNAPSHOT_TABLE } from "./migrations";
import { type SqlClient, quoteIdent } from "./sql-client";

export const OLD_COLUMNS = ["parent_id", "pnl_usd", "remaining_size"] as const;
export const BASE_TABLE = "trade_records_base";
const WRITE_FUNCTION = "fifo_retired_trade_records_write";
const legacy = (column: string) => `legacy_${column}`;

interface Column {
  name: string;
  type: string;
  default_sql: string | null;
}

export type RetirementState = "active" | "retired";

export async function retirementState(db: SqlClient): Promise<RetirementState> {
  const [row] = await db.query<{ base: boolean; kind: string | null }>(
    `SELECT to_regclass('public.${BASE_TABLE}') IS NOT NULL AS base,
       (SELECT relkind::text FROM pg_class WHERE oid = to_regclass('public.trade_records')) AS kind`,
  );
  if (row!.base && row!.kind === "v") return "retired";
  if (!row!.base && row!.kind === "r") return "active";
  throw new Error(`trade_records is in an unexpected state (table ${BASE_TABLE} ${row!.base ? "exists" : "missing"}, trade_records kind ${row!.kind})`);
}

async function columnsOf(db: SqlClient, table: string): Promise<Column[]> {
  return db.query<Column>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, pg_get_expr(d.adbin, d.adrelid) AS default_sql
     FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [table],
  );
}

export interface RetirementPlan {
  trades: number;
  /** Rows carrying an old value that the snapshot lacks: copied into it before retiring. */
  missingFromSnapshot: number;
  /** Snapshot rows whose trade now holds other old values (the bot kept writing): kept as they were. */
  changedSinceSnapshot: number;
  snapshotRows: number;
}

const HAS_OLD_VALUE = OLD_COLUMNS.map((c) => `t.${c} IS NOT NULL`).join(" OR ");

/** What retiring would do; changes nothing. */
export async function planRetirement(db: SqlClient): Promise<RetirementPlan> {
  const [row] = await db.query<RetirementPlan>(
    `SELECT (SELECT count(*)::int FROM trade_records) AS trades,
       (SELECT count(*)::int FROM trade_records t WHERE (${HAS_OLD_VALUE})
          AND NOT EXISTS (SELECT 1 FROM ${SNAPSHOT_TABLE} h WHERE h.trade_id = t.id)) AS "missingFromSnapshot",
       (SELECT count(*)::int FROM trade_records t JOIN ${SNAPSHOT_TABLE} h ON h.trade_id = t.id
          WHERE (t.parent_id, t.pnl_usd, t.remaining_size) IS DISTINCT FROM (h.parent_id, h.pnl_usd, h.remaining_size)) AS "changedSinceSnapshot",
       (SELECT count(*)::int FROM ${SNAPSHOT_TABLE}) AS "snapshotRows"`,
  );
  return row!;
}

function retireStatements(columns: Column[]): string[] {
  const names = columns.map((c) => c.name);
  for (const old of OLD_COLUMNS) if (!names.includes(old)) throw new Error(`trade_records has no column ${old} to retire`);
  const isOld = (name: string) => (OLD_COLUMNS as readonly string[]).includes(name);
  const baseName = (name: string) => (isOld(name) ? legacy(name) : name);
  const q = (name: string) => quoteIdent(name);
  const viewColumns = columns.map((c) => (isOld(c.name) ? `NULL::${c.type} AS ${q(c.name)}` : `b.${q(c.name)}`));
  const setList = columns
    .map((c) => (isOld(c.name)
      ? `${q(legacy(c.name))} = CASE WHEN NEW.${q(c.name)} IS DISTINCT FROM OLD.${q(c.name)} THEN NEW.${q(c.name)} ELSE b.${q(legacy(c.name))} END`
      : `${q(c.name)} = NEW.${q(c.name)}`))
    .join(", ");
  return [
    `ALTER TABLE trade_records RENAME TO ${BASE_TABLE}`,
    ...OLD_COLUMNS.map((c) => `ALTER TABLE ${BASE_TABLE} RENAME COLUMN ${q(c)} TO ${q(legacy(c))}`),
    `CREATE VIEW trade_records AS SELECT ${viewColumns.join(", ")} FROM ${BASE_TABLE} b`,
    `COMMENT ON VIEW trade_records IS 'The bot''s trades with the old system''s columns retired (npm run db:retire-old-columns; --undo restores them). Writes go to ${BASE_TABLE}.'`,
    ...columns
      .filter((c) => c.default_sql !== null)
      .map((c) => `ALTER VIEW trade_records ALTER COLUMN ${q(c.name)} SET DEFAULT ${c.default_sql}`),
    `CREATE FUNCTION ${WRITE_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $fifo$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO ${BASE_TABLE} (${columns.map((c) => q(baseName(c.name))).join(", ")})
    VALUES (${columns.map((c) => `NEW.${q(c.name)}`).join(", ")});
    RETURN NEW;
  ELSIF TG_OP = 'UPDATE' THEN
    UPDATE ${BASE_TABLE} b SET ${setList} WHERE b.id = OLD.id;
    RETURN NEW;
  ELSE
    DELETE FROM ${BASE_TABLE} b WHERE b.id = OLD.id;
    RETURN OLD;
  END IF;
END $fifo$`,
    `CREATE TRIGGER fifo_retired_trade_records_write INSTEAD OF INSERT OR UPDATE OR DELETE ON trade_records
     FOR EACH ROW EXECUTE FUNCTION ${WRITE_FUNCTION}()`,
  ];
}

const UNDO_STATEMENTS = [
  "DROP VIEW trade_records",
  `DROP FUNCTION ${WRITE_FUNCTION}()`,
  ...OLD_COLUMNS.map((c) => `ALTER TABLE ${BASE_TABLE} RENAME COLUMN ${quoteIdent(legacy(c))} TO ${quoteIdent(c)}`),
  `ALTER TABLE ${BASE_TABLE} RENAME TO trade_records`,
];

/** Copies the old values the snapshot lacks, then retires the columns, in one transaction. */
export async function retireOldColumns(db: SqlClient): Promise<{ copiedToSnapshot: number }> {
  return db.transaction(async (tx) => {
    await tx.exec("SET LOCAL lock_timeout = '10s'");
    if ((await retirementState(tx)) === "retired") throw new Error("The old columns are already retired.");
    const copied = await tx.query(
      `INSERT INTO ${SNAPSHOT_TABLE}
         (trade_id, symbol, side, size, price, fee_usd, order_time, status, parent_id, pnl_usd, remaining_size, snapshot_taken_at)
       SELECT t.id, t.symbol, t.side, t.size, t.price, t.fee_usd, t.order_time, t.status, t.parent_id, t.pnl_usd, t.remaining_size, now()
       FROM trade_records t
       WHERE (${HAS_OLD_VALUE}) AND NOT EXISTS (SELECT 1 FROM ${SNAPSHOT_TABLE} h WHERE h.trade_id = t.id)
       RETURNING 1`,
    );
    for (const statement of retireStatements(await columnsOf(tx, "trade_records"))) await tx.exec(statement);
    return { copiedToSnapshot: copied.length };
  });
}

/** Puts trade_records back exactly as it was: same table, columns, values, indexes. */
export async function undoRetirement(db: SqlClient): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.exec("SET LOCAL lock_timeout = '10s'");
    if ((await retirementState(tx)) === "active") throw new Error("The old columns are not retired: nothing to undo.");
    for (const statement of UNDO_STATEMENTS) await tx.exec(statement);
  });
}
