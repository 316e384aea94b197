// Inventory snapshots for incremental runs: where a version's last run stopped per symbol, a
// fingerprint of the trades up to that point (to catch backdated inserts and changed rows), and
// keyset-paged reads of the trades after it.
import type { SqlClient } from "../sql-client";
import type { TradeRow } from "./trade-stream";

export interface SnapshotPoint {
  lastOrderTime: string;
  lastTradeId: number;
}

export interface StoredSnapshot {
  symbol: string;
  point: SnapshotPoint | null;
  tradesProcessed: number;
  tradesChecksum: string | null;
  openLots: unknown[];
}

export interface TradesFingerprint {
  count: number;
  checksum: string;
}

// hashtextextended over the columns the engine reads; the sum is order-independent and additive.
// A bigint: always summed, and sum(bigint) is an exact numeric, the same as summing it cast to
// numeric (what stored fingerprints hold) but without a numeric per row (measured: 12% faster).
export const ROW_HASH = `hashtextextended(concat_ws('|', t.id, t.side, t.size, t.price, t.fee_usd, t.order_time, t.status), 0)`;

export async function readSnapshots(db: SqlClient, version: number, symbols: string[]): Promise<Map<string, StoredSnapshot>> {
  const rows = await db.query<{
    symbol: string;
    last_trade_id: number | null;
    last_order_time: string | null;
    trades_processed: number;
    trades_checksum: string | null;
    open_lots: unknown[];
  }>(
    `SELECT symbol, last_trade_id, last_order_time, trades_processed, trades_checksum, open_lots
     FROM fifo_inventory_snapshot WHERE allocation_version = $1 AND symbol = ANY ($2::text[])`,
    [version, symbols],
  );
  return new Map(
    rows.map((r) => [
      r.symbol,
      {
        symbol: r.symbol,
        point:
          r.last_trade_id != null && r.last_order_time != null
            ? { lastTradeId: r.last_trade_id, lastOrderTime: r.last_order_time }
            : null,
        tradesProcessed: r.trades_processed,
        tradesChecksum: r.trades_checksum,
        openLots: r.open_lots,
      },
    ]),
  );
}

/** Count and checksum of a symbol's trades at or before the point (all of them when point is null). */
export async function fingerprintUpTo(db: SqlClient, symbol: string, point: SnapshotPoint | null): Promise<TradesFingerprint> {
  const [row] = await db.query<{ n: number; checksum: string }>(
    `SELECT count(*)::bigint AS n, coalesce(sum(${ROW_HASH}), 0)::text AS checksum
     FROM fifo_trades t
     WHERE t.symbol = $1 AND ($2::timestamptz IS NULL OR (t.order_time, t.id) <= ($2::timestamptz, $3::bigint))`,
    [symbol, point?.lastOrderTime ?? null, point?.lastTradeId ?? null],
  );
  return { count: row!.n, checksum: row!.checksum };
}

export async function countTradesAfter(db: SqlClient, symbol: string, point: SnapshotPoint | null): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    `SELECT count(*)::bigint AS n FROM fifo_trades t
     WHERE t.symbol = $1 AND ($2::timestamptz IS NULL OR (t.order_time, t.id) > ($2::timestamptz, $3::bigint))`,
    [symbol, point?.lastOrderTime ?? null, point?.lastTradeId ?? null],
  );
  return row!.n;
}

/** A symbol's trades after the point in FIFO order, read in keyset pages (memory stays bounded). */
export async function* tradesAfter(
  db: SqlClient,
  symbol: string,
  point: SnapshotPoint | null,
  pageSize = 20_000,
): AsyncIterable<TradeRow> {
  let after = point;
  for (;;) {
    const rows = await db.query<{
      id: number; side: string; size: string; price: string; fee_usd: string | null; order_time: string;
      status: string; pnl_usd: string | null; parent_id: number | null;
    }>(
      `SELECT t.id, t.side, t.size::text AS size, t.price::text AS price, t.fee_usd::text AS fee_usd, t.order_time,
         t.status, t.pnl_usd, t.parent_id
       FROM fifo_trades t
       WHERE t.symbol = $1 AND ($2::timestamptz IS NULL OR (t.order_time, t.id) > ($2::timestamptz, $3::bigint))
       ORDER BY t.order_time, t.id LIMIT $4`,
      [symbol, after?.lastOrderTime ?? null, after?.lastTradeId ?? null, pageSize],
    );
    for (const r of rows) {
      yield {
        id: r.id, symbol, side: r.side ?? "", size: r.size ?? "", price: r.price ?? "", feeUsd: r.fee_usd ?? "0",
        orderTime: r.order_time, status: r.status ?? "", oldPnlUsd: r.pnl_usd, oldParentId: r.parent_id,
      };
    }
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    after = { lastOrderTime: last.order_time, lastTradeId: last.id };
  }
}

/** Count and checksum of every trade of these symbols: did anything change between two moments? */
export async function tradesStamp(db: SqlClient, symbols: string[]): Promise<string> {
  const [row] = await db.query<{ stamp: string }>(
    `SELECT count(*) || ':' || coalesce(sum(${ROW_HASH}), 0) AS stamp FROM fifo_trades t WHERE t.symbol = ANY ($1::text[])`,
    [symbols],
  );
  return row!.stamp;
}

export interface MonthEndOut {
  symbol: string;
  /** Rows from this month end on are replaced; null replaces all of the symbol's rows (a full recompute). */
  replaceFrom: string | null;
  monthEnds: { monthEnd: string; openLots: unknown[]; openSize: string }[];
}

/** Inside the run's transaction: the symbols' month-end inventories, replacing what the run recomputed. */
export async function writeMonthEnds(tx: SqlClient, version: number, runId: number, symbols: MonthEndOut[]): Promise<number> {
  if (symbols.length === 0) return 0;
  await tx.query(
    `DELETE FROM fifo_inventory_month_end m USING unnest($2::text[], $3::date[]) AS r(symbol, replace_from)
     WHERE m.allocation_version = $1 AND m.symbol = r.symbol AND (r.replace_from IS NULL OR m.month_end >= r.replace_from)`,
    [version, symbols.map((s) => s.symbol), symbols.map((s) => s.replaceFrom)],
  );
  return tx.copyIn(
    "fifo_inventory_month_end",
    ["allocation_version", "symbol", "month_end", "computation_id", "open_lots", "open_size"],
    symbols.flatMap((s) => s.monthEnds.map((m) => [version, s.symbol, m.monthEnd, runId, JSON.stringify(m.openLots), m.openSize])),
  );
}
