// Streams a run's trades in FIFO order, per symbol, with COPY (the fastest way out of PostgreSQL).
// fifo_trades: the bot's trade_records plus the live manual buys of fifo_manual_trades.
import type { SqlClient } from "../sql-client";

export interface TradeRow {
  id: number;
  symbol: string;
  side: string;
  size: string;
  price: string;
  feeUsd: string;
  orderTime: string;
  status: string;
  oldPnlUsd: string | null;
  oldParentId: number | null;
}

function assertId(n: number): number {
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`invalid run id ${n}`);
  return n;
}

/**
 * All trades of the run's symbols ordered by (symbol, order_time, id). COPY takes no parameters,
 * so the symbol list is read from the run's own log row (the run id is a validated integer).
 * On a real server the rows come through a second pooled connection, because the run's
 * transaction connection is busy with the COPY that writes allocations; PGlite has one
 * connection, and its COPY TO finishes before the first row is handed out, so it reads in `tx`.
 */
export async function* streamRunTrades(db: SqlClient, tx: SqlClient, runId: number, filterBySymbols: boolean): AsyncIterable<TradeRow> {
  const reader = db.engine === "pglite" ? tx : db;
  for await (const f of reader.copyOut(runTradesQuery(runId, filterBySymbols))) yield tradeFromCopyFields(f);
}

/** The COPY query of streamRunTrades: its text lines are tradeFromCopyFields' input. */
export function runTradesQuery(runId: number, filterBySymbols: boolean): string {
  const where = filterBySymbols
    ? `WHERE t.symbol = ANY ((SELECT symbols FROM fifo_computation_log WHERE id = ${assertId(runId)})::text[])`
    : "";
  return `SELECT t.id, t.symbol, t.side, t.size, t.price, t.fee_usd, t.order_time, t.status, t.pnl_usd, t.parent_id
    FROM fifo_trades t ${where} ORDER BY t.symbol, t.order_time, t.id`;
}

/** The fields of one runTradesQuery line (symbol second: allocation workers route lines by it). */
export function tradeFromCopyFields(f: (string | null)[]): TradeRow {
  return {
    id: Number(f[0]),
    symbol: f[1] ?? "",
    side: f[2] ?? "",
    size: f[3] ?? "",
    price: f[4] ?? "",
    feeUsd: f[5] ?? "0",
    orderTime: f[6] ?? "",
    status: f[7] ?? "",
    oldPnlUsd: f[8] ?? null,
    oldParentId: f[9] == null ? null : Number(f[9]),
  };
}

/** The symbols a run covers: the requested ones, or every symbol with trades. */
export async function symbolsWithTrades(db: SqlClient): Promise<string[]> {
  // A recursive skip-scan over the (symbol, order_time, id) index: fast even with millions of rows.
  const rows = await db.query<{ symbol: string }>(`
    WITH RECURSIVE s(symbol) AS (
      (SELECT symbol FROM trade_records ORDER BY symbol LIMIT 1)
      UNION ALL
      SELECT (SELECT t.symbol FROM trade_records t WHERE t.symbol > s.symbol ORDER BY t.symbol LIMIT 1)
      FROM s WHERE s.symbol IS NOT NULL
    ) SELECT symbol FROM s WHERE symbol IS NOT NULL
    UNION SELECT DISTINCT symbol FROM fifo_manual_trades WHERE voided_at IS NULL
    ORDER BY symbol`);
  return rows.map((r) => r.symbol);
}

export async function countTrades(db: SqlClient, symbols: string[]): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    "SELECT count(*)::bigint AS n FROM fifo_trades WHERE symbol = ANY ($1::text[])",
    [symbols],
  );
  return row!.n;
}
