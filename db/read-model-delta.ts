// Read models after an incremental run, by difference instead of by rebuild. An incremental run
// that resumed every symbol it touched from its snapshot changed nothing about the sells it had
// covered before: it added sells (those after each symbol's previous point) and their allocations.
// So the new sells' rows are added, sums over them are added, and the few keys whose value is not
// a plain sum of new rows (the old system's PnL per symbol and day, over-allocated buys, the top
// differences) are recomputed for those keys only. tests/db/queries/read-model-refresh.test.ts
// checks the result equals a full rebuild.
import { bucketSql, discrepancyFindingsCte, FOUND_WITH_CAUSE, LARGEST_KEPT } from "./read-models";
import type { SqlClient } from "./sql-client";

export interface ResumedSymbol {
  symbol: string;
  /** The symbol's snapshot point before the run. */
  lastOrderTime: string;
  lastTradeId: number;
}

const VALID_TRADE = `t.status = 'filled' AND t.size > 0 AND t.size <> 'NaN' AND t.price > 0 AND t.price <> 'NaN'`;
/** The new sells' dash_sell_pnl rows (a temp copy: every step below reads only these). */
const NEW_SELL_PNL = "dash_new_sell_pnl";

export async function applyIncrementalDelta(
  tx: SqlClient,
  version: number,
  resumed: ResumedSymbol[],
  step: (name: string, fn: () => Promise<void>) => Promise<void>,
): Promise<void> {
  const symbols = resumed.map((r) => r.symbol);
  await step("delta_new_sells", () => collectNewSells(tx, version, resumed));
  await step("delta_sell_pnl", () => addSellPnl(tx, version));
  // The old system's PnL per symbol is summed from the days, so the days go first.
  await step("delta_daily_pnl", () => updateDailyPnl(tx, version, resumed));
  await step("delta_symbol_pnl", () => addSymbolPnl(tx, version, symbols));
  await step("delta_histograms", () => addHistograms(tx, version));
  await step("delta_largest", () => rerankLargest(tx, version, symbols));
  await step("delta_discrepancies", () => updateDiscrepancies(tx, version));
}

/** The sells each symbol's run added (after its previous point, up to its new one) and their allocations. */
async function collectNewSells(tx: SqlClient, version: number, resumed: ResumedSymbol[]) {
  await tx.exec(`
    DROP TABLE IF EXISTS pg_temp.dash_new_sells;
    CREATE TEMP TABLE dash_new_sells (id bigint PRIMARY KEY, symbol text, order_time timestamptz, size numeric,
      parent_id bigint, pnl_usd numeric) ON COMMIT DROP;
    DROP TABLE IF EXISTS pg_temp.dash_new_allocations;
    CREATE TEMP TABLE dash_new_allocations (symbol text, sell_trade_id bigint, buy_trade_id bigint, allocated_size numeric,
      buy_price numeric, sell_price numeric, buy_fee_usd numeric, sell_fee_usd numeric, pnl_usd numeric,
      sell_time timestamptz) ON COMMIT DROP;`);
  await tx.query(
    // Per symbol one range of the (symbol, order_time, id) index, between the two points: as a
    // plain join both bounds became bitmap scans, the lower one over the symbol's whole history.
    `INSERT INTO dash_new_sells
     SELECT t.id, t.symbol, t.order_time, t.size, t.parent_id, t.pnl_usd
     FROM unnest($2::text[], $3::timestamptz[], $4::bigint[]) AS p(symbol, last_order_time, last_trade_id)
     JOIN fifo_inventory_snapshot s ON s.allocation_version = $1 AND s.symbol = p.symbol
     CROSS JOIN LATERAL (
       SELECT t.* FROM trade_records t
       WHERE t.symbol = p.symbol AND (t.order_time, t.id) > (p.last_order_time, p.last_trade_id)
         AND (t.order_time, t.id) <= (s.last_order_time, s.last_trade_id)
       ORDER BY t.order_time, t.id
     ) t
     WHERE t.side = 'sell' AND ${VALID_TRADE}`,
    [version, resumed.map((r) => r.symbol), resumed.map((r) => r.lastOrderTime), resumed.map((r) => r.lastTradeId)],
  );
  await tx.query(
    `INSERT INTO dash_new_allocations
     SELECT a.symbol, a.sell_trade_id, a.buy_trade_id, a.allocated_size, a.buy_price, a.sell_price, a.buy_fee_usd,
       a.sell_fee_usd, a.pnl_usd, a.sell_time
     FROM dash_new_sells n JOIN fifo_allocations a ON a.allocation_version = $1 AND a.sell_trade_id = n.id`,
    [version],
  );
  if (tx.engine === "postgres") await tx.exec("ANALYZE dash_new_sells; ANALYZE dash_new_allocations;");
}

async function addSellPnl(tx: SqlClient, version: number) {
  await tx.query(
    `INSERT INTO dash_sell_pnl (allocation_version, sell_trade_id, symbol, sell_time, sell_size, matched_size,
       unmatched_size, lots, new_pnl_usd, old_parent_id, old_pnl_usd, covered, in_snapshot, snapshot_pnl_usd,
       old_difference_usd, snapshot_difference_usd)
     WITH alloc AS (
       SELECT sell_trade_id, count(*)::int AS lots, sum(allocated_size) AS allocated, sum(pnl_usd) AS pnl
       FROM dash_new_allocations GROUP BY sell_trade_id
     )
     SELECT $1::int, n.id, n.symbol, n.order_time, n.size, coalesce(a.allocated, 0), coalesce(u.unmatched_size, 0),
       coalesce(a.lots, 0), coalesce(a.pnl, 0), n.parent_id, n.pnl_usd, true, h.trade_id IS NOT NULL, h.pnl_usd,
       coalesce(a.pnl, 0) - coalesce(n.pnl_usd, 0),
       CASE WHEN h.trade_id IS NOT NULL THEN coalesce(a.pnl, 0) - coalesce(h.pnl_usd, 0) END
     FROM dash_new_sells n
     LEFT JOIN alloc a ON a.sell_trade_id = n.id
     -- key lookups per new sell: as joins, both whole tables were hashed for a few hundred sells
     LEFT JOIN LATERAL (
       SELECT u.unmatched_size FROM fifo_unmatched_sells u WHERE u.allocation_version = $1 AND u.sell_trade_id = n.id OFFSET 0
     ) u ON true
     LEFT JOIN LATERAL (SELECT h.trade_id, h.pnl_usd FROM historical_pnl_snapshot_20251120 h WHERE h.trade_id = n.id OFFSET 0) h ON true`,
    [version],
  );
  await tx.exec(`DROP TABLE IF EXISTS pg_temp.${NEW_SELL_PNL}; CREATE TEMP TABLE ${NEW_SELL_PNL} (LIKE dash_sell_pnl) ON COMMIT DROP;`);
  await tx.query(
    // One key lookup per new sell, whatever the statistics of the version's freshly rebuilt
    // dash_sell_pnl say (OFFSET 0 keeps the planner from turning it back into a hash join of all).
    `INSERT INTO ${NEW_SELL_PNL} SELECT d.* FROM dash_new_sells n
     CROSS JOIN LATERAL (SELECT * FROM dash_sell_pnl d WHERE d.allocation_version = $1 AND d.sell_trade_id = n.id OFFSET 0) d`,
    [version],
  );
  if (tx.engine === "postgres") await tx.exec(`ANALYZE ${NEW_SELL_PNL}`);
}

/** Sums over allocations and unmatched sells grow by the new sells'; the old system's PnL is re-summed by day. */
async function addSymbolPnl(tx: SqlClient, version: number, symbols: string[]) {
  await tx.query(
    `WITH a AS (
       SELECT symbol, count(*) AS n, count(DISTINCT sell_trade_id) AS sells, sum(allocated_size) AS size,
         sum(allocated_size * buy_price) AS cost, sum(allocated_size * sell_price) AS proceeds,
         sum(buy_fee_usd + sell_fee_usd) AS fees, sum(pnl_usd) AS pnl
       FROM dash_new_allocations GROUP BY symbol
     ), u AS (
       SELECT u.symbol, count(*) AS n, count(*) FILTER (WHERE u.matched_size > 0) AS partial,
         count(*) FILTER (WHERE u.matched_size = 0) AS none, sum(u.unmatched_size) AS size,
         sum(u.unmatched_size * u.sell_price) AS notional
       FROM fifo_unmatched_sells u JOIN dash_new_sells n ON n.id = u.sell_trade_id
       WHERE u.allocation_version = $1 GROUP BY u.symbol
     ), h AS (
       SELECT symbol, coalesce(sum(snapshot_pnl_usd), 0) AS snapshot_pnl, sum(new_pnl_usd) AS new_pnl
       FROM ${NEW_SELL_PNL} WHERE in_snapshot GROUP BY symbol
     ), o AS (
       -- every sell's old pnl_usd, by day (dash_daily_pnl is exact for the days the run touched)
       SELECT symbol, sum(old_pnl_usd) AS old_pnl FROM dash_daily_pnl
       WHERE allocation_version = $1 AND symbol = ANY ($2::text[]) GROUP BY symbol
     ), x AS (
       SELECT s.symbol, s.open_size, s.computation_id, coalesce(o.old_pnl, 0) AS old_pnl,
         coalesce(a.n, 0) AS a_n, coalesce(a.sells, 0) AS a_sells, coalesce(a.size, 0) AS a_size, coalesce(a.cost, 0) AS a_cost,
         coalesce(a.proceeds, 0) AS a_proceeds, coalesce(a.fees, 0) AS a_fees, coalesce(a.pnl, 0) AS a_pnl,
         coalesce(u.n, 0) AS u_n, coalesce(u.partial, 0) AS u_partial, coalesce(u.none, 0) AS u_none,
         coalesce(u.size, 0) AS u_size, coalesce(u.notional, 0) AS u_notional,
         coalesce(h.snapshot_pnl, 0) AS h_snapshot, coalesce(h.new_pnl, 0) AS h_new
       FROM fifo_inventory_snapshot s
       LEFT JOIN a ON a.symbol = s.symbol LEFT JOIN u ON u.symbol = s.symbol LEFT JOIN h ON h.symbol = s.symbol
       LEFT JOIN o ON o.symbol = s.symbol
       WHERE s.allocation_version = $1 AND s.symbol = ANY ($2::text[])
     )
     UPDATE dash_symbol_pnl d SET allocations = d.allocations + x.a_n, sells_matched = d.sells_matched + x.a_sells,
       sells_partially_matched = d.sells_partially_matched + x.u_partial, sells_unmatched = d.sells_unmatched + x.u_none,
       allocated_size = d.allocated_size + x.a_size, cost_basis_usd = d.cost_basis_usd + x.a_cost,
       proceeds_usd = d.proceeds_usd + x.a_proceeds, fees_usd = d.fees_usd + x.a_fees,
       realized_pnl_usd = d.realized_pnl_usd + x.a_pnl, unmatched_sells = d.unmatched_sells + x.u_n,
       unmatched_size = d.unmatched_size + x.u_size, unmatched_notional_usd = d.unmatched_notional_usd + x.u_notional,
       open_size = x.open_size, old_pnl_usd = x.old_pnl, pnl_difference_usd = d.realized_pnl_usd + x.a_pnl - x.old_pnl,
       snapshot_pnl_usd = d.snapshot_pnl_usd + x.h_snapshot, snapshot_new_pnl_usd = d.snapshot_new_pnl_usd + x.h_new,
       computation_id = x.computation_id
     FROM x WHERE d.allocation_version = $1 AND d.symbol = x.symbol`,
    [version, symbols],
  );
}

/** Days with new allocations or new old-system PnL are recomputed; snapshot sums grow by the new sells'. */
async function updateDailyPnl(tx: SqlClient, version: number, resumed: ResumedSymbol[]) {
  const dayRange = (column: string) =>
    `${column} >= (k.day::timestamp AT TIME ZONE 'UTC') AND ${column} < ((k.day + 1)::timestamp AT TIME ZONE 'UTC')`;
  await tx.query(
    `INSERT INTO dash_daily_pnl (allocation_version, symbol, day, new_pnl_usd, old_pnl_usd, snapshot_pnl_usd, snapshot_new_pnl_usd)
     WITH p AS (
       SELECT * FROM unnest($2::text[], $3::timestamptz[], $4::bigint[]) AS p(symbol, last_order_time, last_trade_id)
     ), h AS (
       SELECT symbol, (sell_time AT TIME ZONE 'UTC')::date AS day, coalesce(sum(snapshot_pnl_usd), 0) AS snapshot_pnl,
         sum(new_pnl_usd) AS snapshot_new_pnl
       FROM ${NEW_SELL_PNL} WHERE in_snapshot GROUP BY 1, 2
     ), k AS (
       SELECT symbol, (sell_time AT TIME ZONE 'UTC')::date AS day FROM dash_new_allocations
       UNION
       SELECT t.symbol, (t.order_time AT TIME ZONE 'UTC')::date FROM p
       JOIN trade_records t ON t.symbol = p.symbol AND (t.order_time, t.id) > (p.last_order_time, p.last_trade_id)
       WHERE t.side = 'sell' AND t.pnl_usd IS NOT NULL
       UNION
       SELECT symbol, day FROM h
     )
     SELECT $1::int, k.symbol, k.day,
       coalesce((SELECT sum(a.pnl_usd) FROM fifo_allocations a
         WHERE a.allocation_version = $1 AND a.symbol = k.symbol AND ${dayRange("a.sell_time")}), 0),
       coalesce((SELECT sum(t.pnl_usd) FROM trade_records t
         WHERE t.symbol = k.symbol AND t.side = 'sell' AND t.pnl_usd IS NOT NULL AND ${dayRange("t.order_time")}), 0),
       coalesce(h.snapshot_pnl, 0), coalesce(h.snapshot_new_pnl, 0)
     FROM k LEFT JOIN h ON h.symbol = k.symbol AND h.day = k.day
     ON CONFLICT (allocation_version, symbol, day) DO UPDATE SET new_pnl_usd = excluded.new_pnl_usd,
       old_pnl_usd = excluded.old_pnl_usd, snapshot_pnl_usd = dash_daily_pnl.snapshot_pnl_usd + excluded.snapshot_pnl_usd,
       snapshot_new_pnl_usd = dash_daily_pnl.snapshot_new_pnl_usd + excluded.snapshot_new_pnl_usd`,
    [version, resumed.map((r) => r.symbol), resumed.map((r) => r.lastOrderTime), resumed.map((r) => r.lastTradeId)],
  );
}

async function addHistograms(tx: SqlClient, version: number) {
  await tx.query(
    `INSERT INTO dash_diff_histogram (allocation_version, baseline, symbol, bucket, sells, difference_usd)
     SELECT $1::int, 'old', symbol, ${bucketSql("old_difference_usd")}, count(*), sum(old_difference_usd)
     FROM ${NEW_SELL_PNL} GROUP BY 1, 2, 3, 4
     UNION ALL
     SELECT $1::int, 'snapshot', symbol, ${bucketSql("snapshot_difference_usd")}, count(*), sum(snapshot_difference_usd)
     FROM ${NEW_SELL_PNL} WHERE in_snapshot GROUP BY 1, 2, 3, 4
     ON CONFLICT (allocation_version, baseline, symbol, bucket) DO UPDATE
     SET sells = dash_diff_histogram.sells + excluded.sells, difference_usd = dash_diff_histogram.difference_usd + excluded.difference_usd`,
    [version],
  );
}

/** Each symbol's top list is re-ranked from its previous top and its new sells; then the overall top. */
async function rerankLargest(tx: SqlClient, version: number, symbols: string[]) {
  await tx.exec(`
    DROP TABLE IF EXISTS pg_temp.dash_new_largest;
    CREATE TEMP TABLE dash_new_largest (LIKE dash_largest_differences) ON COMMIT DROP;`);
  await tx.query(
    `INSERT INTO dash_new_largest
     WITH cand AS (
       SELECT baseline, scope AS symbol, sell_trade_id, sell_time, baseline_usd, target_usd, difference_usd, old_parent_id
       FROM dash_largest_differences
       WHERE allocation_version = $1 AND baseline IN ('old', 'snapshot') AND scope = ANY ($2::text[])
       UNION ALL
       SELECT 'old', symbol, sell_trade_id, sell_time, old_pnl_usd, new_pnl_usd, old_difference_usd, old_parent_id
       FROM ${NEW_SELL_PNL}
       UNION ALL
       SELECT 'snapshot', symbol, sell_trade_id, sell_time, snapshot_pnl_usd, new_pnl_usd, snapshot_difference_usd, old_parent_id
       FROM ${NEW_SELL_PNL} WHERE in_snapshot
     ), ranked AS (
       SELECT c.*, row_number() OVER (PARTITION BY baseline, symbol ORDER BY abs(difference_usd) DESC, sell_trade_id DESC) AS r
       FROM cand c
     )
     SELECT $1::int, baseline, symbol, r, sell_trade_id, symbol, sell_time, baseline_usd, target_usd, difference_usd, old_parent_id
     FROM ranked WHERE r <= ${LARGEST_KEPT}`,
    [version, symbols],
  );
  await tx.query(
    `DELETE FROM dash_largest_differences WHERE allocation_version = $1 AND baseline IN ('old', 'snapshot')
       AND (scope = '*' OR scope = ANY ($2::text[]))`,
    [version, symbols],
  );
  await tx.exec("INSERT INTO dash_largest_differences SELECT * FROM dash_new_largest");
  await tx.query(
    `INSERT INTO dash_largest_differences (allocation_version, baseline, scope, rank, sell_trade_id, symbol, sell_time,
       baseline_usd, target_usd, difference_usd, old_parent_id)
     SELECT allocation_version, baseline, '*', overall_rank, sell_trade_id, symbol, sell_time, baseline_usd, target_usd,
       difference_usd, old_parent_id
     FROM (
       SELECT d.*, row_number() OVER (PARTITION BY baseline ORDER BY abs(difference_usd) DESC, sell_trade_id DESC) AS overall_rank
       FROM dash_largest_differences d WHERE allocation_version = $1 AND baseline IN ('old', 'snapshot') AND scope <> '*'
     ) o
     WHERE overall_rank <= ${LARGEST_KEPT}`,
    [version],
  );
}

/** New sells' discrepancies are added; buys the new allocations drew on are re-checked; counts follow. */
async function updateDiscrepancies(tx: SqlClient, version: number) {
  await tx.query(
    `WITH buys AS (SELECT DISTINCT buy_trade_id FROM dash_new_allocations),
     removed AS (
       DELETE FROM dash_discrepancies WHERE allocation_version = $1 AND discrepancy_type = 'buy_overallocated'
         AND trade_id IN (SELECT buy_trade_id FROM buys)
       RETURNING symbol, discrepancy_type
     ), sell_totals AS (
       SELECT sell_trade_id AS id, symbol, sell_size AS size, old_pnl_usd, sell_time AS order_time,
         matched_size AS allocated, new_pnl_usd, unmatched_size AS unmatched
       FROM ${NEW_SELL_PNL}
     ), buy_totals AS (
       SELECT a.buy_trade_id, a.symbol, sum(a.allocated_size) AS allocated, min(t.size) AS buy_size, min(t.order_time) AS buy_time
       FROM fifo_allocations a JOIN fifo_trades t ON t.id = a.buy_trade_id
       WHERE a.allocation_version = $1 AND a.buy_trade_id IN (SELECT buy_trade_id FROM buys)
       GROUP BY a.buy_trade_id, a.symbol
     ), allocation_buys AS (
       SELECT a.symbol, a.sell_trade_id, a.buy_trade_id, t.order_time AS buy_time
       FROM dash_new_allocations a JOIN fifo_trades t ON t.id = a.buy_trade_id
     ), ${discrepancyFindingsCte({ allocationBuys: "allocation_buys", sells: NEW_SELL_PNL })}, added AS (
       INSERT INTO dash_discrepancies (allocation_version, discrepancy_type, symbol, trade_id, related_trade_id,
         expected, actual, difference, abs_difference, details, trade_time, cause)
       ${FOUND_WITH_CAUSE}
       RETURNING symbol, discrepancy_type
     ), change AS (
       SELECT symbol, discrepancy_type, sum(n) AS n FROM (
         SELECT symbol, discrepancy_type, 1 AS n FROM added UNION ALL SELECT symbol, discrepancy_type, -1 FROM removed
       ) c GROUP BY symbol, discrepancy_type
     )
     INSERT INTO dash_discrepancy_counts (allocation_version, symbol, discrepancy_type, discrepancies)
     SELECT $1::int, symbol, discrepancy_type, n FROM change WHERE n <> 0
     ON CONFLICT (allocation_version, symbol, discrepancy_type) DO UPDATE
     SET discrepancies = dash_discrepancy_counts.discrepancies + excluded.discrepancies`,
    [version],
  );
  await tx.query("DELETE FROM dash_discrepancy_counts WHERE allocation_version = $1 AND discrepancies = 0", [version]);
}
