// One trade's page: the trade, the old system's view of it, and what a version made of it. A sell
// shows the lots it consumed and its unmatched part; a buy shows the sells that consumed it.
import type { SqlClient } from "../sql-client";

export interface TradeFacts {
  id: number;
  symbol: string;
  side: string;
  size: string;
  price: string;
  feeUsd: string;
  orderTime: string;
  status: string;
  source: string;
  oldParentId: number | null;
  oldPnlUsd: string | null;
  oldRemainingSize: string | null;
  snapshot: { parentId: number | null; pnlUsd: string | null; takenAt: string } | null;
}

export interface LotConsumed {
  buyTradeId: number;
  buyTime: string;
  buySize: string;
  allocatedSize: string;
  buyPrice: string;
  sellPrice: string;
  buyFeeUsd: string;
  sellFeeUsd: string;
  pnlUsd: string;
  isOldParent: boolean;
}

export interface Consumer {
  sellTradeId: number;
  sellTime: string;
  sellSize: string;
  allocatedSize: string;
  buyPrice: string;
  sellPrice: string;
  buyFeeUsd: string;
  sellFeeUsd: string;
  pnlUsd: string;
}

export interface VersionResult {
  version: number;
  /** Sells: new PnL; buys: null. */
  pnlUsd: string | null;
  /** Sells: matched size; buys: consumed size. */
  allocatedSize: string;
  unmatchedSize: string | null;
  lots: number;
}

export interface SellDetail {
  kind: "sell";
  lots: LotConsumed[];
  matchedSize: string;
  newPnlUsd: string;
  unmatched: { unmatchedSize: string; matchedSize: string; notionalUsd: string } | null;
  /** new - coalesce(old, 0) */
  differenceUsd: string;
}

export interface BuyDetail {
  kind: "buy";
  consumers: Consumer[];
  consumedSize: string;
  remainingSize: string;
  realizedPnlUsd: string;
  /** Sells the old system matched to this buy (parent_id). */
  oldChildren: { id: number; orderTime: string; size: string; pnlUsd: string | null }[];
}

export interface TradeDetail {
  trade: TradeFacts;
  version: number;
  detail: SellDetail | BuyDetail | null;
  byVersion: VersionResult[];
  reviewItems: { id: number; version: number; issueType: string; severity: string; status: string; reason: string }[];
}

export async function tradeDetail(db: SqlClient, tradeId: number, version: number, versions: number[]): Promise<TradeDetail | null> {
  const [trade] = await db.query<TradeFacts>(
    `SELECT t.id, t.symbol, t.side, t.size, t.price, t.fee_usd AS "feeUsd", t.order_time AS "orderTime", t.status,
       t.source, t.parent_id AS "oldParentId", t.pnl_usd AS "oldPnlUsd", t.remaining_size AS "oldRemainingSize",
       CASE WHEN h.trade_id IS NOT NULL THEN json_build_object('parentId', h.parent_id, 'pnlUsd', h.pnl_usd::text,
         'takenAt', h.snapshot_taken_at) END AS snapshot
     FROM fifo_trades t LEFT JOIN historical_pnl_snapshot_20251120 h ON h.trade_id = t.id
     WHERE t.id = $1`,
    [tradeId],
  );
  if (!trade) return null;
  const [detail, byVersion, reviewItems] = await Promise.all([
    trade.side === "sell" ? sellDetail(db, trade, version) : trade.side === "buy" ? buyDetail(db, trade, version) : null,
    versionResults(db, trade, versions),
    db.query<TradeDetail["reviewItems"][number]>(
      `SELECT id, allocation_version AS version, issue_type AS "issueType", severity, status, reason
       FROM manual_review_queue WHERE trade_id = $1 ORDER BY id DESC LIMIT 50`,
      [tradeId],
    ),
  ]);
  return { trade, version, detail, byVersion, reviewItems };
}

async function sellDetail(db: SqlClient, trade: TradeFacts, version: number): Promise<SellDetail> {
  const [lots, unmatchedRows, totals] = await Promise.all([
    db.query<LotConsumed>(
      `SELECT a.buy_trade_id AS "buyTradeId", a.buy_time AS "buyTime", b.size AS "buySize",
         a.allocated_size AS "allocatedSize", a.buy_price AS "buyPrice", a.sell_price AS "sellPrice",
         a.buy_fee_usd AS "buyFeeUsd", a.sell_fee_usd AS "sellFeeUsd", a.pnl_usd AS "pnlUsd",
         coalesce(a.buy_trade_id = $3::bigint, false) AS "isOldParent"
       FROM fifo_allocations a LEFT JOIN fifo_trades b ON b.id = a.buy_trade_id
       WHERE a.allocation_version = $1 AND a.sell_trade_id = $2
       ORDER BY a.buy_time, a.buy_trade_id`,
      [version, trade.id, trade.oldParentId],
    ),
    db.query<{ unmatchedSize: string; matchedSize: string; notionalUsd: string }>(
      `SELECT unmatched_size AS "unmatchedSize", matched_size AS "matchedSize", unmatched_size * sell_price AS "notionalUsd"
       FROM fifo_unmatched_sells WHERE allocation_version = $1 AND sell_trade_id = $2`,
      [version, trade.id],
    ),
    db.query<{ matched: string; pnl: string; difference: string }>(
      `SELECT coalesce(sum(allocated_size), 0)::text AS matched, coalesce(sum(pnl_usd), 0)::text AS pnl,
         (coalesce(sum(pnl_usd), 0) - coalesce($3::numeric, 0))::text AS difference
       FROM fifo_allocations WHERE allocation_version = $1 AND sell_trade_id = $2`,
      [version, trade.id, trade.oldPnlUsd],
    ),
  ]);
  const t = totals[0]!;
  return {
    kind: "sell",
    lots,
    matchedSize: t.matched,
    newPnlUsd: t.pnl,
    unmatched: unmatchedRows[0] ?? null,
    differenceUsd: t.difference,
  };
}

async function buyDetail(db: SqlClient, trade: TradeFacts, version: number): Promise<BuyDetail> {
  const [consumers, totals, oldChildren] = await Promise.all([
    db.query<Consumer>(
      `SELECT a.sell_trade_id AS "sellTradeId", a.sell_time AS "sellTime", s.size AS "sellSize",
         a.allocated_size AS "allocatedSize", a.buy_price AS "buyPrice", a.sell_price AS "sellPrice",
         a.buy_fee_usd AS "buyFeeUsd", a.sell_fee_usd AS "sellFeeUsd", a.pnl_usd AS "pnlUsd"
       FROM fifo_allocations a LEFT JOIN fifo_trades s ON s.id = a.sell_trade_id
       WHERE a.allocation_version = $1 AND a.buy_trade_id = $2
       ORDER BY a.sell_time, a.sell_trade_id`,
      [version, trade.id],
    ),
    db.query<{ consumed: string; remaining: string; pnl: string }>(
      `SELECT coalesce(sum(allocated_size), 0)::text AS consumed,
         ($3::numeric - coalesce(sum(allocated_size), 0))::text AS remaining, coalesce(sum(pnl_usd), 0)::text AS pnl
       FROM fifo_allocations WHERE allocation_version = $1 AND buy_trade_id = $2`,
      [version, trade.id, trade.size],
    ),
    db.query<BuyDetail["oldChildren"][number]>(
      `SELECT id, order_time AS "orderTime", size, pnl_usd AS "pnlUsd" FROM fifo_trades
       WHERE parent_id = $1 AND side = 'sell' ORDER BY order_time, id LIMIT 200`,
      [trade.id],
    ),
  ]);
  const t = totals[0]!;
  return {
    kind: "buy",
    consumers,
    consumedSize: t.consumed,
    remainingSize: t.remaining,
    realizedPnlUsd: t.pnl,
    oldChildren,
  };
}

async function versionResults(db: SqlClient, trade: TradeFacts, versions: number[]): Promise<VersionResult[]> {
  if (versions.length === 0 || (trade.side !== "sell" && trade.side !== "buy")) return [];
  const column = trade.side === "sell" ? "sell_trade_id" : "buy_trade_id";
  return db.query<VersionResult>(
    `SELECT v.version, ${trade.side === "sell" ? "a.pnl" : "NULL"} AS "pnlUsd", coalesce(a.allocated, 0)::text AS "allocatedSize",
       u.unmatched_size AS "unmatchedSize", coalesce(a.lots, 0)::int AS lots
     FROM unnest($2::int[]) AS v(version)
     LEFT JOIN LATERAL (
       SELECT sum(pnl_usd)::text AS pnl, sum(allocated_size) AS allocated, count(*) AS lots
       FROM fifo_allocations WHERE allocation_version = v.version AND ${column} = $1
     ) a ON true
     LEFT JOIN fifo_unmatched_sells u ON u.allocation_version = v.version AND u.sell_trade_id = $1
     ORDER BY v.version DESC`,
    [trade.id, versions],
  );
}
