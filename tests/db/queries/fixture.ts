// A small ledger for the dashboard query tests, written as rows (trades, then what versions 1 and 2
// made of them), inserted directly with SQL so the queries are checked against known data.
//
//  id  symbol    side  size  price  fee   old parent / old pnl
//  1   BTC-USD   buy   1     100    1
//  2   BTC-USD   buy   2     110    2
//  3   BTC-USD   sell  1.5   120    1.5   2 / 10
//  4   BTC-USD   sell  2     130    0     1 / 50      (0.5 unmatched: no lot left)
//  5   ETH-USD   buy   10    1000   0
//  6   ETH-USD   sell  4     1100   0     - / -
//  7   Q,"X"     buy   1     10     0                 (a symbol that needs CSV quoting)
//  8   Q,"X"     sell  1     12     0     7 / 1
import type { SqlClient } from "@/db/sql-client";
import { refreshReadModels } from "@/db/read-models";

export const TRADES = [
  [1, "BTC-USD", "buy", "1", "100", "1", "2025-01-01 10:00:00+00", null, null],
  [2, "BTC-USD", "buy", "2", "110", "2", "2025-01-02 10:00:00+00", null, null],
  [3, "BTC-USD", "sell", "1.5", "120", "1.5", "2025-01-03 10:00:00+00", 2, "10"],
  [4, "BTC-USD", "sell", "2", "130", "0", "2025-01-10 10:00:00+00", 1, "50"],
  [5, "ETH-USD", "buy", "10", "1000", "0", "2025-01-01 12:00:00+00", null, null],
  [6, "ETH-USD", "sell", "4", "1100", "0", "2025-02-01 12:00:00+00", null, null],
  [7, 'Q,"X"', "buy", "1", "10", "0", "2025-01-01 00:00:00+00", null, null],
  [8, 'Q,"X"', "sell", "1", "12", "0", "2025-01-05 00:00:00+00", 7, "1"],
] as const;

// version, sell, buy, symbol, size, buy price, sell price, buy fee, sell fee, pnl, buy time, sell time
type Alloc = [number, number, number, string, string, string, string, string, string, string];
const V1: Alloc[] = [
  [3, 1, 1, "BTC-USD", "1", "100", "120", "1", "1", "18"],
  [3, 2, 1, "BTC-USD", "0.5", "110", "120", "0.5", "0.5", "4"],
  [4, 2, 1, "BTC-USD", "1.5", "110", "130", "1.5", "0", "28.5"],
  [6, 5, 1, "ETH-USD", "4", "1000", "1100", "0", "0", "400"],
  [8, 7, 1, 'Q,"X"', "1", "10", "12", "0", "0", "2"],
].map(([s, b, , sym, ...rest]) => [1, s, b, sym, ...rest] as unknown as Alloc);
// Version 2 differs on sell 6 only (as if a later trade correction changed its lot).
const V2: Alloc[] = V1.map((a) => [2, ...a.slice(1)] as unknown as Alloc).map((a) =>
  a[1] === 6 ? ([2, 6, 5, "ETH-USD", "4", "1025", "1100", "0", "0", "300"] as unknown as Alloc) : a,
);

const time = (id: number) => TRADES.find((t) => t[0] === id)![6];

export async function insertFixture(db: SqlClient): Promise<{ runs: Record<number, number> }> {
  await db.copyIn(
    "trade_records",
    ["id", "symbol", "side", "size", "price", "fee_usd", "order_time", "parent_id", "pnl_usd"],
    TRADES.map((t) => [...t]),
  );
  await db.query("SELECT setval(pg_get_serial_sequence('trade_records', 'id'), (SELECT max(id) FROM trade_records))");
  await db.query(`INSERT INTO historical_pnl_snapshot_20251120 (trade_id, symbol, side, size, price, fee_usd, order_time,
      status, parent_id, pnl_usd, remaining_size, snapshot_taken_at)
    SELECT id, symbol, side, size, price, fee_usd, order_time, status, parent_id,
      CASE WHEN id = 4 THEN 45 ELSE pnl_usd END, remaining_size, '2025-11-20 00:00:00+00'
    FROM trade_records WHERE side = 'sell' AND parent_id IS NOT NULL`);
  const runs: Record<number, number> = {};
  for (const version of [1, 2]) {
    const [run] = await db.query<{ id: number }>(
      `INSERT INTO fifo_computation_log (allocation_version, status, started_by, started_at, finished_at)
       VALUES ($1, 'succeeded', 'test', now(), now()) RETURNING id`,
      [version],
    );
    runs[version] = run!.id;
    const rows = (version === 1 ? V1 : V2).map((a) => [...a, time(a[2]), time(a[1]), run!.id]);
    await db.copyIn(
      "fifo_allocations",
      ["allocation_version", "sell_trade_id", "buy_trade_id", "symbol", "allocated_size", "buy_price", "sell_price",
        "buy_fee_usd", "sell_fee_usd", "pnl_usd", "buy_time", "sell_time", "computation_id"],
      rows,
    );
    await db.query(
      `INSERT INTO fifo_unmatched_sells (allocation_version, symbol, sell_trade_id, sell_size, matched_size, unmatched_size,
         sell_price, sell_time, computation_id)
       VALUES ($1, 'BTC-USD', 4, 2, 1.5, 0.5, 130, '2025-01-10 10:00:00+00', $2)`,
      [version, run!.id],
    );
    await db.query(
      `INSERT INTO fifo_inventory_snapshot (allocation_version, symbol, computation_id, last_trade_id, last_order_time, open_size)
       SELECT $1, symbol, $2, (array_agg(id ORDER BY order_time DESC, id DESC))[1], max(order_time),
         CASE symbol WHEN 'ETH-USD' THEN 6 ELSE 0 END
       FROM trade_records GROUP BY symbol`,
      [version, run!.id],
    );
    await db.query(
      `INSERT INTO manual_review_queue (allocation_version, trade_id, symbol, issue_type, severity, status, unmatched_size,
         notional_usd, opened_by_computation_id)
       VALUES ($1, 4, 'BTC-USD', 'unmatched_sell', 'medium', 'pending', 0.5, 65, $2)`,
      [version, run!.id],
    );
  }
  await refreshReadModels(db, 1);
  await refreshReadModels(db, 2);
  return { runs };
}
