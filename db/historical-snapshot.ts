// historical_pnl_snapshot_20251120 is taken by the FIFO migration from the rows present then. A
// database seeded after migrating (the embedded demo, tests, the bench) takes it here instead, once,
// as if the migration had run on the bot's existing history.
import type { SqlClient } from "./sql-client";

export async function takeHistoricalSnapshotIfEmpty(db: SqlClient): Promise<number> {
  const [existing] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM historical_pnl_snapshot_20251120");
  if (existing!.n > 0) return 0;
  const rows = await db.query(
    `INSERT INTO historical_pnl_snapshot_20251120
       (trade_id, symbol, side, size, price, fee_usd, order_time, status, parent_id, pnl_usd, remaining_size, snapshot_taken_at)
     SELECT id, symbol, side, size, price, fee_usd, order_time, status, parent_id, pnl_usd, remaining_size, now()
     FROM trade_records WHERE side = 'sell' AND parent_id IS NOT NULL
     RETURNING 1`,
  );
  return rows.length;
}
