// Everything the item page shows: the item, its trade, what the FIFO run made of that trade (the
// lots a sell used and its unmatched part, or the sells that used a buy), the trades of the symbol
// around it, the old system's parent_id/pnl_usd, the manual buy a reviewer recorded, and the full
// history (people and runs).
import type { SqlClient } from "../sql-client";
import type { ReviewItemRow } from "./queue";
import { type FilterContext, SqlParams, reviewItemsSubquery } from "./source";

export interface ReviewItemDetail extends ReviewItemRow {
  details: Record<string, unknown>;
}

export interface TradeRow {
  id: number;
  symbol: string;
  side: string;
  size: string;
  price: string;
  fee_usd: string;
  order_time: string;
  status: string;
  source: string;
  parent_id: number | null;
  pnl_usd: string | null;
  remaining_size: string | null;
}

export interface LotRow {
  sell_trade_id: number;
  buy_trade_id: number;
  allocated_size: string;
  buy_price: string;
  sell_price: string;
  buy_fee_usd: string;
  sell_fee_usd: string;
  pnl_usd: string;
  buy_time: string;
  sell_time: string;
  computation_id: number;
  buy_source: string | null;
}

export interface UnmatchedRow {
  sell_size: string;
  matched_size: string;
  unmatched_size: string;
  sell_price: string;
  computation_id: number;
}

export interface HistoryRow {
  id: number;
  action: string;
  from_status: string | null;
  to_status: string;
  actor_user_id: number | null;
  actor_label: string;
  actor_email: string | null;
  computation_id: number | null;
  notes: string | null;
  details: Record<string, unknown>;
  at: string;
}

export interface ReviewItemContext {
  item: ReviewItemDetail;
  trade: TradeRow | null;
  /** For a sell: the lots it consumed in the item's version. For a buy: the sells that consumed it. */
  allocations: LotRow[];
  unmatched: UnmatchedRow | null;
  newPnlUsd: string | null;
  /** The old system's match as it stood when the migration ran (historical snapshot). */
  snapshot: { parent_id: number | null; pnl_usd: string | null } | null;
  oldParent: TradeRow | null;
  manualTrade: TradeRow | null;
  nearby: TradeRow[];
  history: HistoryRow[];
}

const TRADE_COLUMNS = `id, symbol, side, size, price, fee_usd, order_time, status, source, parent_id, pnl_usd, remaining_size`;

async function trade(db: SqlClient, id: number | null): Promise<TradeRow | null> {
  if (id === null) return null;
  const [row] = await db.query<TradeRow>(`SELECT ${TRADE_COLUMNS} FROM fifo_trades WHERE id = $1`, [id]);
  return row ?? null;
}

export async function reviewItemContext(
  db: SqlClient,
  id: number,
  ctx: FilterContext,
  nearbyEachSide = 8,
): Promise<ReviewItemContext | null> {
  const p = new SqlParams();
  const source = reviewItemsSubquery(p.add(ctx.dustNotionalUsd));
  const [item] = await db.query<ReviewItemDetail>(
    `SELECT i.*, coalesce(i.is_dust, false) AS is_dust FROM ${source} i WHERE i.id = ${p.add(id)}`,
    p.values,
  );
  if (!item) return null;
  const theTrade = await trade(db, item.trade_id);
  const version = item.allocation_version;

  const allocations = await db.query<LotRow>(
    `SELECT a.sell_trade_id, a.buy_trade_id, a.allocated_size, a.buy_price, a.sell_price, a.buy_fee_usd, a.sell_fee_usd,
       a.pnl_usd, a.buy_time, a.sell_time, a.computation_id, b.source AS buy_source
     FROM fifo_allocations a LEFT JOIN fifo_trades b ON b.id = a.buy_trade_id
     WHERE a.allocation_version = $1 AND (a.sell_trade_id = $2 OR a.buy_trade_id = $2)
     ORDER BY a.buy_time, a.buy_trade_id, a.sell_time, a.sell_trade_id`,
    [version, item.trade_id],
  );
  const [unmatched] = await db.query<UnmatchedRow>(
    `SELECT sell_size, matched_size, unmatched_size, sell_price, computation_id FROM fifo_unmatched_sells
     WHERE allocation_version = $1 AND sell_trade_id = $2`,
    [version, item.trade_id],
  );
  const [pnl] = await db.query<{ pnl: string | null }>(
    "SELECT sum(pnl_usd) AS pnl FROM fifo_allocations WHERE allocation_version = $1 AND sell_trade_id = $2",
    [version, item.trade_id],
  );
  const [snapshot] = await db.query<{ parent_id: number | null; pnl_usd: string | null }>(
    "SELECT parent_id, pnl_usd FROM historical_pnl_snapshot_20251120 WHERE trade_id = $1",
    [item.trade_id],
  );
  const nearby = theTrade
    ? await db.query<TradeRow>(
        `(SELECT ${TRADE_COLUMNS} FROM fifo_trades WHERE symbol = $1 AND (order_time, id) < ($2::timestamptz, $3::bigint)
          ORDER BY order_time DESC, id DESC LIMIT $4)
         UNION ALL
         (SELECT ${TRADE_COLUMNS} FROM fifo_trades WHERE symbol = $1 AND (order_time, id) >= ($2::timestamptz, $3::bigint)
          ORDER BY order_time, id LIMIT $4 + 1)
         ORDER BY order_time, id`,
        [theTrade.symbol, theTrade.order_time, theTrade.id, nearbyEachSide],
      )
    : [];
  const history = await db.query<HistoryRow>(
    `SELECT h.id, h.action, h.from_status, h.to_status, h.actor_user_id, h.actor_label, u.email AS actor_email,
       h.computation_id, h.notes, h.details, h.at
     FROM manual_review_history h LEFT JOIN app_users u ON u.id = h.actor_user_id
     WHERE h.item_id = $1 ORDER BY h.id`,
    [id],
  );
  return {
    item,
    trade: theTrade,
    allocations,
    unmatched: unmatched ?? null,
    newPnlUsd: allocations.some((a) => a.sell_trade_id === item.trade_id) ? (pnl?.pnl ?? null) : null,
    snapshot: snapshot ?? null,
    oldParent: await trade(db, theTrade?.parent_id ?? null),
    manualTrade: await trade(db, item.manual_trade_id),
    nearby,
    history,
  };
}
