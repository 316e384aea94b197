// The bench's peer: FIFO matching as ONE set-based SQL statement, the way a DBA would write it.
// Per symbol, buys and sells are laid end to end as running sums of their sizes (intervals on the
// "units bought" and "units sold" axes); a sell takes from the buys whose interval overlaps its
// own, by the overlap's length. Done in O(n log n): every interval end is a cut point, each piece
// between two cuts belongs to exactly one buy and one sell (the first of each ending at or after
// it), and pieces are summed per (sell, buy). Gross allocations only (no fees, no PnL, no
// unmatched bookkeeping, no "buy strictly before the sell"), into an unlogged table without
// indexes: a generous lower bound for anything SQL-only. Valid filled trades, (order_time, id) order.
import type { SqlClient } from "@/db/sql-client";

export const SQL_PEER = `
  CREATE UNLOGGED TABLE bench_sql_peer AS
  WITH legs AS (
    SELECT id, symbol, side, sum(size) OVER (PARTITION BY symbol, side ORDER BY order_time, id ROWS UNBOUNDED PRECEDING) AS end_at
    FROM trade_records
    WHERE status = 'filled' AND side IN ('buy', 'sell') AND size > 0 AND size <> 'NaN' AND price > 0 AND price <> 'NaN'
  ), cuts AS (
    SELECT symbol, end_at AS pos, min(end_at) FILTER (WHERE side = 'buy') AS buy_end,
      min(end_at) FILTER (WHERE side = 'sell') AS sell_end
    FROM legs GROUP BY symbol, end_at
  ), pieces AS (
    SELECT symbol, pos - lag(pos, 1, 0::numeric) OVER (PARTITION BY symbol ORDER BY pos) AS size,
      min(buy_end) OVER (PARTITION BY symbol ORDER BY pos DESC) AS buy_end,
      min(sell_end) OVER (PARTITION BY symbol ORDER BY pos DESC) AS sell_end
    FROM cuts
  )
  SELECT p.symbol, s.id AS sell_trade_id, b.id AS buy_trade_id, sum(p.size) AS allocated_size
  FROM pieces p
  JOIN legs b ON b.symbol = p.symbol AND b.side = 'buy' AND b.end_at = p.buy_end
  JOIN legs s ON s.symbol = p.symbol AND s.side = 'sell' AND s.end_at = p.sell_end
  GROUP BY p.symbol, s.id, b.id`;

/** Runs the peer statement; returns how many allocation rows it produced. */
export async function runSqlPeer(db: SqlClient): Promise<number> {
  await db.exec("DROP TABLE IF EXISTS bench_sql_peer");
  // The same session settings the run's big statements get (no JIT, memory for the sorts), and no
  // nested loops: the planner cannot estimate the window functions' output and would otherwise
  // join the legs back quadratically (minutes at 100,000 trades instead of seconds).
  await db.transaction((tx) =>
    tx.exec(`SET LOCAL jit = off; SET LOCAL work_mem = '64MB'; SET LOCAL enable_nestloop = off; ${SQL_PEER}`),
  );
  const [row] = await db.query<{ n: number }>("SELECT count(*)::bigint AS n FROM bench_sql_peer");
  await db.exec("DROP TABLE bench_sql_peer");
  return row!.n;
}
