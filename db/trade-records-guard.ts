// trade_records belongs to the bot. Our migrations create it only on a fresh database, and then
// mark it as ours with a comment; on a bot's table (no mark) no statement of ours changes it.
// db:migrate and the generated psql file (scripts/db-psql-files.ts) share these rules and this SQL.

/** The comment that marks a trade_records our baseline created (so its indexes are ours to add). */
export const OWNED_MARK = "Created by the FIFO allocations baseline migration (0000).";

/** Columns the engine and the views read. `source` is optional on a bot's table. */
export const REQUIRED_TRADE_COLUMNS = [
  "id", "symbol", "side", "size", "price", "fee_usd", "order_time", "status", "parent_id", "pnl_usd", "remaining_size",
] as const;

/** Stops the migration, naming every missing column, before anything is changed. */
export const REQUIRE_TRADE_COLUMNS_SQL = `DO $fifo$
DECLARE missing text;
BEGIN
  IF to_regclass('public.trade_records') IS NULL THEN RETURN; END IF;
  SELECT string_agg(r.col, ', ' ORDER BY r.ord) INTO missing
  FROM unnest(ARRAY[${REQUIRED_TRADE_COLUMNS.map((c) => `'${c}'`).join(", ")}]) WITH ORDINALITY AS r(col, ord)
  WHERE NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = 'public.trade_records'::regclass
    AND a.attname = r.col AND a.attnum > 0 AND NOT a.attisdropped);
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'trade_records lacks the column(s) this tool needs: %', missing
      USING ERRCODE = '42703', HINT = 'Nothing was changed. Add the column(s) to the bot''s table, or migrate a copy that has them.';
  END IF;
END $fifo$`;

export const MARK_OWNED_SQL = `COMMENT ON TABLE "trade_records" IS '${OWNED_MARK}'`;

/** One row, one boolean: does trade_records exist / carry our mark. */
export const TRADE_RECORDS_STATE_SQL = `SELECT to_regclass('public.trade_records') IS NOT NULL AS trade_records_exists,
  coalesce(obj_description(to_regclass('public.trade_records'), 'pg_class') = '${OWNED_MARK}', false) AS trade_records_owned`;

export type StatementKind =
  /** CREATE TABLE IF NOT EXISTS trade_records: runs only when the table does not exist yet. */
  | "create-trade-records"
  /** An index on trade_records: ours only on our own table, else opt-in (--with-trade-indexes). */
  | "trade-records-index"
  /** Any other DDL on trade_records (ALTER TABLE): only on our own table. */
  | "trade-records-ddl"
  | "plain";

const TARGET = String.raw`(?:"?public"?\.)?"?trade_records"?(?![\w"])`;
const CREATE_TABLE = new RegExp(String.raw`^CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?${TARGET}`, "i");
const CREATE_INDEX = new RegExp(String.raw`^CREATE\s+(?:UNIQUE\s+)?INDEX\b[^;]*?\bON\s+(?:ONLY\s+)?${TARGET}`, "i");
const OTHER_DDL = new RegExp(String.raw`^(?:ALTER|DROP|TRUNCATE|COMMENT\s+ON)\s+TABLE\s+(?:IF\s+EXISTS\s+)?${TARGET}`, "i");
const DML = new RegExp(String.raw`^(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+${TARGET}`, "i");

function withoutLeadingComments(statement: string): string {
  return statement.replace(/^(?:\s*--[^\n]*\n)*\s*/, "");
}

export function classifyStatement(statement: string): StatementKind {
  const sql = withoutLeadingComments(statement);
  if (CREATE_TABLE.test(sql)) return "create-trade-records";
  if (CREATE_INDEX.test(sql)) return "trade-records-index";
  if (OTHER_DDL.test(sql)) return "trade-records-ddl";
  if (DML.test(sql)) throw new Error(`a migration must never write trade_records rows: ${sql.slice(0, 80)}`);
  return "plain";
}

/** The index's name, and its statement made idempotent (for the opt-in). */
export function tradeIndexStatement(statement: string): { name: string; sql: string } {
  const sql = withoutLeadingComments(statement).trim().replace(/;$/, "");
  const match = /^CREATE\s+(UNIQUE\s+)?INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?"?([a-z0-9_]+)"?/i.exec(sql);
  if (!match) throw new Error(`cannot read the index name of: ${sql.slice(0, 80)}`);
  const idempotent = sql.replace(/^CREATE\s+(UNIQUE\s+)?INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?/i, (_, u) => `CREATE ${u ?? ""}INDEX IF NOT EXISTS `);
  return { name: match[2]!, sql: idempotent };
}
