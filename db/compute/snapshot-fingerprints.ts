// Fingerprints for incremental runs, in one statement for all symbols rather than one per symbol:
// checking a snapshot and advancing it after a run. Same row hash as db/compute/snapshots.ts, so
// the sums are the ones a full run stores (the hash sum is additive: old sum + the new trades').
import type { SqlClient } from "../sql-client";
import { ROW_HASH, type SnapshotPoint } from "./snapshots";

export interface PointFingerprint {
  /** Trades at or before the point: how many, and their hash sum. */
  count: number;
  checksum: string;
  /** Trades after the point. */
  after: number;
}

/** Every symbol's fingerprint up to its point and the count after it, in one pass over the trades. */
export async function fingerprintsAtPoints(
  db: SqlClient,
  points: { symbol: string; point: SnapshotPoint }[],
): Promise<Map<string, PointFingerprint>> {
  if (points.length === 0) return new Map();
  const upTo = "(t.order_time, t.id) <= (p.last_order_time, p.last_trade_id)";
  const rows = await db.transaction(async (tx) => {
    // A one-off scan: compiling it costs more than it saves.
    if (tx.engine === "postgres") await tx.exec("SET LOCAL jit = off");
    return tx.query<{ symbol: string; n: number; checksum: string; after: number }>(
      `SELECT p.symbol, count(t.id) FILTER (WHERE ${upTo})::bigint AS n,
         coalesce(sum(${ROW_HASH}) FILTER (WHERE ${upTo}), 0)::text AS checksum,
         count(t.id) FILTER (WHERE NOT ${upTo})::bigint AS after
       FROM unnest($1::text[], $2::timestamptz[], $3::bigint[]) AS p(symbol, last_order_time, last_trade_id)
       LEFT JOIN trade_records t ON t.symbol = p.symbol
       GROUP BY p.symbol`,
      [points.map((p) => p.symbol), points.map((p) => p.point.lastOrderTime), points.map((p) => p.point.lastTradeId)],
    );
  });
  return new Map(rows.map((r) => [r.symbol, { count: r.n, checksum: r.checksum, after: r.after }]));
}

/**
 * After an incremental run wrote its snapshots: each resumed symbol's fingerprint is its previous
 * one plus the trades between the previous point and the new one (only the new trades are read).
 */
export async function advanceFingerprints(
  tx: SqlClient,
  version: number,
  resumed: { symbol: string; point: SnapshotPoint; tradesProcessed: number; tradesChecksum: string }[],
): Promise<void> {
  if (resumed.length === 0) return;
  await tx.query(
    `UPDATE fifo_inventory_snapshot s SET (trades_processed, trades_checksum) = (
       SELECT p.n + count(t.id), (p.checksum + coalesce(sum(${ROW_HASH}), 0))::text
       FROM trade_records t
       WHERE t.symbol = s.symbol AND (t.order_time, t.id) > (p.last_order_time, p.last_trade_id)
         AND (t.order_time, t.id) <= (s.last_order_time, s.last_trade_id))
     FROM unnest($2::text[], $3::timestamptz[], $4::bigint[], $5::bigint[], $6::numeric[])
       AS p(symbol, last_order_time, last_trade_id, n, checksum)
     WHERE s.allocation_version = $1 AND s.symbol = p.symbol`,
    [
      version,
      resumed.map((r) => r.symbol),
      resumed.map((r) => r.point.lastOrderTime),
      resumed.map((r) => r.point.lastTradeId),
      resumed.map((r) => r.tradesProcessed),
      resumed.map((r) => r.tradesChecksum),
    ],
  );
}
