// Inserts trade_records rows for tests: terse specs with sensible defaults.
import type { SqlClient } from "@/db/sql-client";

export interface TradeSpec {
  id?: number;
  symbol?: string;
  side: string;
  size: string;
  price: string;
  fee?: string;
  time: string;
  status?: string;
  source?: string;
  parentId?: number | null;
  oldPnl?: string | null;
}

export async function insertTrades(db: SqlClient, trades: TradeSpec[]): Promise<number[]> {
  const ids: number[] = [];
  for (const t of trades) {
    const [row] = await db.query<{ id: number }>(
      `INSERT INTO trade_records (${t.id ? "id, " : ""}symbol, side, size, price, fee_usd, order_time, status, source, parent_id, pnl_usd)
       VALUES (${t.id ? "$11, " : ""}$1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [
        t.symbol ?? "BTC-USD", t.side, t.size, t.price, t.fee ?? "0", t.time, t.status ?? "filled", t.source ?? "bot",
        t.parentId ?? null, t.oldPnl ?? null, ...(t.id ? [t.id] : []),
      ],
    );
    ids.push(row!.id);
  }
  if (trades.some((t) => t.id)) {
    await db.query("SELECT setval(pg_get_serial_sequence('trade_records', 'id'), (SELECT max(id) FROM trade_records))");
  }
  return ids;
}

/** Allocation rows of a version without run ids: what two equivalent runs must agree on. */
export async function allocationRows(db: SqlClient, version: number) {
  return db.query(
    `SELECT symbol, sell_trade_id, buy_trade_id, allocated_size::text, buy_price::text, sell_price::text,
       buy_fee_usd::text, sell_fee_usd::text, pnl_usd::text, buy_time, sell_time
     FROM fifo_allocations WHERE allocation_version = $1 ORDER BY sell_trade_id, buy_trade_id`,
    [version],
  );
}

/**
 * Many deterministic trades in one statement: K symbols, mostly buys, every third trade of a
 * symbol a sell (some larger than the inventory), one second apart.
 */
export async function insertSyntheticTrades(db: SqlClient, trades: number, symbols = 5): Promise<void> {
  await db.query(
    `INSERT INTO trade_records (symbol, side, size, price, fee_usd, order_time, status, source, pnl_usd)
     SELECT 'SYM' || lpad((g % $2)::text, 2, '0') || '-USD',
       CASE WHEN (g / $2) % 3 = 2 THEN 'sell' ELSE 'buy' END,
       round(((g * 7919) % 1000 + 1) / 1000.0 * CASE WHEN (g / $2) % 3 = 2 THEN 2.5 ELSE 1 END, 8),
       round(100 + ((g * 104729) % 5000) / 100.0, 2),
       round(((g * 31) % 100) / 1000.0, 6),
       timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second',
       'filled', 'bot',
       CASE WHEN (g / $2) % 3 = 2 THEN round(((g * 13) % 2000) / 100.0 - 10, 2) END
     FROM generate_series(1, $1::bigint) g`,
    [trades, symbols],
  );
}
