// What "trade_records is byte-identical" means in the tests: the same rows (md5 of every row's
// text in id order) and the same catalog (columns with types, defaults and nullability; indexes;
// constraints; triggers; the table's comment).
import type { SqlClient } from "@/db/sql-client";

export interface TradeRecordsState {
  rows: string;
  columns: string;
  indexes: string;
  constraints: string;
  triggers: string;
  comment: string | null;
}

export async function tradeRecordsState(db: SqlClient, table = "trade_records"): Promise<TradeRecordsState> {
  const [row] = await db.query<TradeRecordsState>(
    `SELECT
       (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM ${table} t) AS rows,
       (SELECT string_agg(a.attnum || ':' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull
                || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), ''), ', ' ORDER BY a.attnum)
          FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
          WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
       (SELECT coalesce(string_agg(pg_get_indexdef(i.indexrelid), '; ' ORDER BY 1), '')
          FROM pg_index i WHERE i.indrelid = $1::regclass) AS indexes,
       (SELECT coalesce(string_agg(c.conname || ' ' || pg_get_constraintdef(c.oid), '; ' ORDER BY c.conname), '')
          FROM pg_constraint c WHERE c.conrelid = $1::regclass) AS constraints,
       (SELECT coalesce(string_agg(tgname, ', ' ORDER BY tgname), '') FROM pg_trigger WHERE tgrelid = $1::regclass) AS triggers,
       obj_description($1::regclass, 'pg_class') AS comment`,
    [table],
  );
  return row!;
}

/** A bot's trade_records as it exists before our migration: its own column, index and rows. */
export const BOT_TRADE_RECORDS_SQL = `
  CREATE TABLE trade_records (
    id bigserial PRIMARY KEY, symbol text NOT NULL, side text NOT NULL, size numeric NOT NULL,
    price numeric NOT NULL, fee_usd numeric NOT NULL DEFAULT 0, order_time timestamptz NOT NULL,
    status text NOT NULL DEFAULT 'filled', parent_id bigint, pnl_usd numeric, remaining_size numeric,
    exchange_order_ref text);
  CREATE INDEX trade_records_bot_time_idx ON trade_records (order_time);
  INSERT INTO trade_records (symbol, side, size, price, fee_usd, order_time, parent_id, pnl_usd, remaining_size, exchange_order_ref) VALUES
    ('BTC-USD', 'buy',  '1.5', '30000', '1.5', '2024-01-01T00:00:00Z', NULL, NULL, '0.5', 'cb-1'),
    ('BTC-USD', 'sell', '1.0', '31000.12', '1', '2024-01-02T00:00:00Z', 1, '1000.12', NULL, 'cb-2'),
    ('ETH-USD', 'buy',  '2', '2000', '0', '2024-01-03T00:00:00Z', NULL, NULL, '2', 'cb-3'),
    ('ETH-USD', 'sell', '1', '1900', '0.1', '2024-01-04T00:00:00Z', NULL, NULL, NULL, 'cb-4'),
    ('ETH-USD', 'sell', '0.25', '2100', '0', '2024-01-05T00:00:00Z', 3, '24.99999999', NULL, NULL),
    ('ETH-USD', 'sell', '5', '2200', '0', '2024-01-06T00:00:00Z', 3, '-3.5', NULL, 'cb-6');
`;
