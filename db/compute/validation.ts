// Reads for validate-allocations: the SQL-checkable invariants (1, 2, 3 through
// v_allocation_discrepancies; the PnL formula and prices of invariant 5) and the streams the
// in-memory replay (4, 5, 6) walks side by side.
import { withPlannerOff } from "./planner-settings";
import type { SqlClient } from "../sql-client";
import type { TradeRow } from "./trade-stream";

export interface SqlViolation {
  invariant: number;
  kind: string;
  tradeIds: number[];
  message: string;
}

const INVARIANT_OF: Record<string, number> = { sell_size_mismatch: 1, buy_overallocated: 2, buy_not_before_sell: 3 };

function assertVersion(version: number): number {
  if (!Number.isSafeInteger(version) || version < 1) throw new Error(`invalid version ${version}`);
  return version;
}

export async function versionExists(db: SqlClient, version: number): Promise<boolean> {
  const rows = await db.query("SELECT 1 FROM fifo_inventory_snapshot WHERE allocation_version = $1 LIMIT 1", [version]);
  return rows.length > 0;
}

/** Allocations whose PnL breaks the formula or whose prices are not their trades' ($1 version, $2 limit). */
export const FORMULA_VIOLATIONS_SQL = `SELECT a.sell_trade_id, a.buy_trade_id,
       CASE WHEN a.pnl_usd <> a.allocated_size * (a.sell_price - a.buy_price) - a.buy_fee_usd - a.sell_fee_usd
              THEN 'pnl_usd ' || a.pnl_usd || ' <> allocated_size * (sell_price - buy_price) - fees = '
                   || (a.allocated_size * (a.sell_price - a.buy_price) - a.buy_fee_usd - a.sell_fee_usd)
            WHEN a.buy_price <> b.price THEN 'buy_price ' || a.buy_price || ' <> the buy''s price ' || b.price
            ELSE 'sell_price ' || a.sell_price || ' <> the sell''s price ' || s.price END AS problem
     FROM fifo_allocations a
     JOIN fifo_trades b ON b.id = a.buy_trade_id
     JOIN fifo_trades s ON s.id = a.sell_trade_id
     WHERE a.allocation_version = $1
       AND (a.pnl_usd <> a.allocated_size * (a.sell_price - a.buy_price) - a.buy_fee_usd - a.sell_fee_usd
            OR a.buy_price <> b.price OR a.sell_price <> s.price)
     ORDER BY a.sell_trade_id, a.buy_trade_id LIMIT $2`;

/**
 * Each check reads every allocation of the version and expects to find nothing. With a LIMIT the
 * planner bets on finding rows early and can pick a nested loop that rescans the trades for every
 * allocation (measured: over 6 minutes at 1,000,000 trades, without end in sight): whole-set
 * checks get hash joins.
 */
export function sqlViolations(db: SqlClient, version: number, limit = 10_000): Promise<SqlViolation[]> {
  return withWholeSetPlans(db, (tx) => checkViolations(tx, version, limit));
}

/** Runs `fn` in a transaction planned for whole-set checks: hash joins, no JIT. */
export function withWholeSetPlans<T>(db: SqlClient, fn: (tx: SqlClient) => Promise<T>): Promise<T> {
  return withPlannerOff(db, ["enable_nestloop"], fn);
}

async function checkViolations(db: SqlClient, version: number, limit: number): Promise<SqlViolation[]> {
  const structural = await db.query<{ discrepancy_type: string; trade_id: number; related_trade_id: number | null; details: string }>(
    `SELECT discrepancy_type, trade_id, related_trade_id, details FROM v_allocation_discrepancies
     WHERE allocation_version = $1 AND discrepancy_type IN ('sell_size_mismatch', 'buy_overallocated', 'buy_not_before_sell')
     ORDER BY trade_id LIMIT $2`,
    [version, limit],
  );
  // v_allocation_discrepancies checks buys of trade_records; the manual buys get the same two checks here.
  const manual = await db.query<{ discrepancy_type: string; trade_id: number; related_trade_id: number | null; details: string }>(
    `SELECT 'buy_overallocated' AS discrepancy_type, a.buy_trade_id AS trade_id, NULL::bigint AS related_trade_id,
       'allocated ' || sum(a.allocated_size) || ' > manual buy size ' || m.size AS details
     FROM fifo_allocations a JOIN fifo_manual_trades m ON m.id = a.buy_trade_id
     WHERE a.allocation_version = $1 GROUP BY a.buy_trade_id, m.size HAVING sum(a.allocated_size) > m.size
     UNION ALL
     SELECT 'buy_not_before_sell', a.sell_trade_id, a.buy_trade_id,
       'manual buy ' || a.buy_trade_id || ' at ' || m.order_time || ' does not come before sell ' || a.sell_trade_id || ' at ' || s.order_time
     FROM fifo_allocations a JOIN fifo_manual_trades m ON m.id = a.buy_trade_id JOIN fifo_trades s ON s.id = a.sell_trade_id
     WHERE a.allocation_version = $1 AND (m.order_time, m.id) >= (s.order_time, s.id)
     LIMIT $2`,
    [version, limit],
  );
  const formula = await db.query<{ sell_trade_id: number; buy_trade_id: number; problem: string }>(FORMULA_VIOLATIONS_SQL, [
    version,
    limit,
  ]);
  return [
    ...[...structural, ...manual].map((r) => ({
      invariant: INVARIANT_OF[r.discrepancy_type]!,
      kind: r.discrepancy_type,
      tradeIds: r.related_trade_id === null ? [r.trade_id] : [r.trade_id, r.related_trade_id],
      message: r.details,
    })),
    ...formula.map((r) => ({ invariant: 5, kind: "formula", tradeIds: [r.sell_trade_id, r.buy_trade_id], message: `sell ${r.sell_trade_id} / buy ${r.buy_trade_id}: ${r.problem}` })),
  ];
}

/** The version's trades up to each symbol's snapshot point, in a byte order both streams share. */
export async function* coveredTrades(db: SqlClient, version: number): AsyncIterable<TradeRow> {
  const v = assertVersion(version);
  const query = `SELECT t.id, t.symbol, t.side, t.size, t.price, t.fee_usd, t.order_time, t.status, t.pnl_usd, t.parent_id
    FROM fifo_inventory_snapshot s JOIN fifo_trades t ON t.symbol = s.symbol
      AND (t.order_time, t.id) <= (s.last_order_time, s.last_trade_id)
    WHERE s.allocation_version = ${v}
    ORDER BY t.symbol COLLATE "C", t.order_time, t.id`;
  for await (const f of db.copyOut(query)) {
    yield {
      id: Number(f[0]), symbol: f[1] ?? "", side: f[2] ?? "", size: f[3] ?? "", price: f[4] ?? "", feeUsd: f[5] ?? "0",
      orderTime: f[6] ?? "", status: f[7] ?? "", oldPnlUsd: f[8] ?? null, oldParentId: f[9] == null ? null : Number(f[9]),
    };
  }
}

export async function* storedAllocations(db: SqlClient, version: number) {
  const v = assertVersion(version);
  const query = `SELECT a.symbol, a.sell_trade_id, a.sell_time, a.buy_trade_id, a.allocated_size, a.buy_fee_usd, a.sell_fee_usd, a.pnl_usd
    FROM fifo_allocations a WHERE a.allocation_version = ${v}
    ORDER BY a.symbol COLLATE "C", a.sell_time, a.sell_trade_id, a.buy_time, a.buy_trade_id`;
  for await (const f of db.copyOut(query)) {
    yield {
      symbol: f[0]!, sellTradeId: Number(f[1]), sellTime: f[2]!, buyTradeId: Number(f[3]), allocatedSize: f[4]!,
      buyFeeUsd: f[5]!, sellFeeUsd: f[6]!, pnlUsd: f[7]!,
    };
  }
}
