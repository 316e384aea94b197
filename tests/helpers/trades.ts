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
