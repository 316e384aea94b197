// The bench's peer: FIFO matching as ONE set-based SQL statement, the way a DBA would write it.
// Per symbol, buys and sells are laid end to end as running sums of their sizes (intervals on the
// "units bought" and "units sold" axes); a sell takes from the buys whose interval overlaps its
// own, by the overlap's length. In O(n log n) and without joins: every interval end is a cut, each
// piece between two cuts belongs to exactly one buy and one sell (those with the smallest
// [end, id] at or after it), and pieces are summed per (sell, buy). Gross allocations only (no
// fees, no PnL, no unmatched bookkeeping, no "buy strictly before the sell"), into an unlogged
// table without indexes: a generous lower bound for anything SQL-only.
import type { SqlClient } from "@/db/sql-client";

export const SQL_PEER = `
  CREATE UNLOGGED TABLE bench_sql_peer AS
  WITH legs AS (
    SELECT id, symbol, side, sum(size) OVER (PARTITION BY symbol, side ORDER BY order_time, id ROWS UNBOUNDED PRECEDING) AS end_at
    FROM trade_records
    WHERE status = 'filled' AND side IN ('buy', 'sell') AND size > 0 AND size <> 'NaN' AND price > 0 AND price <> 'NaN'
  ), cuts AS (
    SELECT symbol, end_at AS pos,
      min(ARRAY[end_at, id::numeric]) FILTER (WHERE side = 'buy') AS buy_at,
      min(ARRAY[end_at, id::numeric]) FILTER (WHERE side = 'sell') AS sell_at
    FROM legs GROUP BY symbol, end_at
  ), pieces AS (
    SELECT symbol, pos - lag(pos, 1, 0::numeric) OVER (PARTITION BY symbol ORDER BY pos) AS size,
      (min(buy_at) OVER (PARTITION BY symbol ORDER BY pos DESC))[2]::bigint AS buy_trade_id,
      (min(sell_at) OVER (PARTITION BY symbol ORDER BY pos DESC))[2]::bigint AS sell_trade_id
    FROM cuts
  )
  SELECT symbol, sell_trade_id, buy_trade_id, sum(size) AS allocated_size
  FROM pieces WHERE buy_trade_id IS NOT NULL AND sell_trade_id IS NOT NULL
  GROUP BY symbol, sell_trade_id, buy_trade_id`;

/** Runs the peer statement; returns how many allocation rows it produced. */
export async function runSqlPeer(db: SqlClient): Promise<number> {
  await db.exec("DROP TABLE IF EXISTS bench_sql_peer");
  // The same session settings the run's big statements get: no JIT, memory for the sorts.
  await db.transaction((tx) => tx.exec(`SET LOCAL jit = off; SET LOCAL work_mem = '64MB'; ${SQL_PEER}`));
  const [row] = await db.query<{ n: number }>("SELECT count(*)::bigint AS n FROM bench_sql_peer");
  await db.exec("DROP TABLE bench_sql_peer");
  return row!.n;
}
