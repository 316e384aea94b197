// Every number a dashboard page shows equals an independent SQL sum over the same rows.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  allocationsPageData, comparePageData, discrepanciesPageData, overviewPageData, pnlPageData, tradePageData,
  tradesPageData, unmatchedPageData,
} from "@/db/queries/dashboard-pages";
import { cumulativePnl, differenceHistogram, largestDifferences, symbolComparison } from "@/db/queries/compare";
import { getCurrentVersion, listVersions } from "@/db/queries/versions";
import { ensureReadModels, refreshReadModels } from "@/db/read-models";
import { createTestDatabase, type TestDatabase } from "../../helpers/database";
import { insertFixture } from "./fixture";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await insertFixture(t.db);
});
afterAll(() => t.drop());

const one = async <R>(sql: string, params: unknown[] = []) => (await t.db.query<R>(sql, params))[0]!;
const sorted = <T>(rows: T[]) => rows.map((r) => JSON.stringify(r)).sort();

describe("versions", () => {
  test("current version: the setting, else the highest with allocations", async () => {
    expect(await getCurrentVersion(t.db)).toBe(2);
    await t.db.query("INSERT INTO fifo_settings (key, value) VALUES ('current_version', '1')");
    expect(await getCurrentVersion(t.db)).toBe(1);
    await t.db.query("UPDATE fifo_settings SET value = 'x' WHERE key = 'current_version'");
    expect(await getCurrentVersion(t.db)).toBe(2);
    await t.db.query("DELETE FROM fifo_settings WHERE key = 'current_version'");
    expect((await listVersions(t.db)).map((v) => [v.version, v.isCurrent])).toEqual([[2, true], [1, false]]);
  });
});

describe("read models agree with the views", () => {
  test("dash_symbol_pnl = v_pnl_by_symbol", async () => {
    const cols = `allocation_version, symbol, allocations, sells_matched, allocated_size::text, cost_basis_usd::text,
      proceeds_usd::text, fees_usd::text, realized_pnl_usd::text, unmatched_sells, unmatched_size::text,
      unmatched_notional_usd::text, open_size::text, old_pnl_usd::text, pnl_difference_usd::text`;
    expect(sorted(await t.db.query(`SELECT ${cols} FROM dash_symbol_pnl`))).toEqual(
      sorted(await t.db.query(`SELECT ${cols} FROM v_pnl_by_symbol`)),
    );
  });

  test("dash_discrepancies = v_allocation_discrepancies", async () => {
    const cols = "allocation_version, discrepancy_type, symbol, trade_id, related_trade_id, expected, actual, difference, details";
    const view = await t.db.query(`SELECT ${cols} FROM v_allocation_discrepancies`);
    expect(view.length).toBeGreaterThan(0);
    expect(sorted(await t.db.query(`SELECT ${cols} FROM dash_discrepancies`))).toEqual(sorted(view));
  });

  test("dash_discrepancies = v_allocation_discrepancies with an over-allocated buy and a buy after its sell", async () => {
    const cols = "allocation_version, discrepancy_type, symbol, trade_id, related_trade_id, expected, actual, difference, details";
    await expect(
      t.db.transaction(async (tx) => {
        // Sell 3 (Jan 3) drawing 5 from trade 4 (size 2, Jan 10): over-allocated, not before the sell, sizes off.
        await tx.query(
          `INSERT INTO fifo_allocations (allocation_version, sell_trade_id, buy_trade_id, symbol, allocated_size, buy_price,
             sell_price, buy_fee_usd, sell_fee_usd, pnl_usd, buy_time, sell_time, computation_id)
           SELECT 1, 3, 4, 'BTC-USD', 5, 130, 120, 0, 0, -50, '2025-01-03 10:00:00+00', '2025-01-03 10:00:00+00', computation_id
           FROM fifo_allocations WHERE allocation_version = 1 LIMIT 1`,
        );
        await refreshReadModels(tx, 1, { force: true });
        const view = await tx.query(`SELECT ${cols} FROM v_allocation_discrepancies WHERE allocation_version = 1`);
        expect(new Set(view.map((r) => r.discrepancy_type))).toEqual(
          new Set(["sell_size_mismatch", "buy_overallocated", "buy_not_before_sell", "pnl_difference"]),
        );
        expect(sorted(await tx.query(`SELECT ${cols} FROM dash_discrepancies WHERE allocation_version = 1`))).toEqual(sorted(view));
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
  });

  test("overview health = v_allocation_health", async () => {
    const { health } = await overviewPageData(t.db);
    const view = await t.db.query<Record<string, unknown>>("SELECT * FROM v_allocation_health ORDER BY allocation_version DESC");
    expect(health.map((h) => [h.version, h.sellsTotal, h.sellsFullyMatched, h.sellsPartiallyMatched, h.sellsUnmatched,
      h.allocations, h.newPnlUsd, h.oldPnlUsd, h.pnlDifferenceUsd, h.openReviewItems, h.openMedium, h.healthStatus])).toEqual(
      view.map((v) => [v.allocation_version, Number(v.sells_total), Number(v.sells_fully_matched),
        Number(v.sells_partially_matched), Number(v.sells_unmatched), Number(v.allocations), String(v.new_pnl_usd),
        String(v.old_pnl_usd), String(v.pnl_difference_usd), Number(v.open_review_items), Number(v.open_medium), v.health_status]),
    );
  });

  test("stale read models are rebuilt on demand", async () => {
    await t.db.query("UPDATE dash_refresh_state SET source_stamp = 'stale' WHERE allocation_version = 1");
    await t.db.query("DELETE FROM dash_symbol_pnl WHERE allocation_version = 1");
    await ensureReadModels(t.db, 1);
    expect((await one<{ n: number }>("SELECT count(*)::int AS n FROM dash_symbol_pnl WHERE allocation_version = 1")).n).toBe(3);
  });
});

describe("tables", () => {
  test("PnL by symbol: per-symbol and total PnL equal sums over allocations and trades", async () => {
    const data = await pnlPageData(t.db, { version: "1" });
    for (const row of data.page.rows) {
      const expected = await one<{ new: string; old: string }>(
        `SELECT coalesce((SELECT sum(pnl_usd) FROM fifo_allocations WHERE allocation_version = 1 AND symbol = $1), 0)::text AS new,
           coalesce((SELECT sum(pnl_usd) FROM trade_records WHERE side = 'sell' AND symbol = $1), 0)::text AS old`,
        [row.symbol],
      );
      expect([row.realizedPnlUsd, row.oldPnlUsd]).toEqual([expected.new, expected.old]);
    }
    const total = await one<{ s: string }>("SELECT sum(pnl_usd)::text AS s FROM fifo_allocations WHERE allocation_version = 1");
    expect(data.totals.realizedPnlUsd).toBe(total.s);
    expect(data.totals.realizedPnlUsd).toBe("452.5");
    // default order: largest absolute difference first (ETH: +400)
    expect(data.page.rows.map((r) => r.symbol)).toEqual(["ETH-USD", "BTC-USD", 'Q,"X"']);
  });

  test("unmatched sells: rows of v_unmatched_sells, with filters", async () => {
    const data = await unmatchedPageData(t.db, { version: "1" });
    expect(data.page.rows).toHaveLength(1);
    expect(data.page.rows[0]).toMatchObject({ sellTradeId: 4, unmatchedSize: "0.5", severity: "medium", reviewStatus: "pending" });
    expect(data.page.rows[0]!.unmatchedNotionalUsd).toBe(
      (await one<{ n: string }>("SELECT unmatched_notional_usd::text AS n FROM v_unmatched_sells WHERE allocation_version = 1")).n,
    );
    expect(data.page.total).toEqual({ count: 1, exact: true });
    expect((await unmatchedPageData(t.db, { version: "1", severity: "high" })).page.rows).toHaveLength(0);
    expect((await unmatchedPageData(t.db, { version: "1", from: "2025-01-11" })).page.rows).toHaveLength(0);
    expect((await unmatchedPageData(t.db, { version: "1", to: "2025-01-10" })).page.rows).toHaveLength(1);
  });

  test("allocations: paging, sorting, trade filter, exact count", async () => {
    const all = await allocationsPageData(t.db, { version: "1", sort: "pnl_usd.desc", size: "25" });
    expect(all.page.total).toEqual({ count: 5, exact: true });
    expect(all.page.rows.map((r) => r.pnlUsd)).toEqual(["400", "28.5", "18", "4", "2"]);
    const sum = await one<{ s: string }>("SELECT sum(pnl_usd)::text AS s FROM fifo_allocations WHERE allocation_version = 1");
    expect(all.page.rows.reduce((s, r) => s + Number(r.pnlUsd), 0)).toBe(Number(sum.s));
    const byTrade = await allocationsPageData(t.db, { version: "1", trade: "2" });
    expect(byTrade.page.rows.map((r) => [r.sellTradeId, r.buyTradeId]).sort()).toEqual([[3, 2], [4, 2]]);
    expect(byTrade.page.total).toEqual({ count: 2, exact: true });
    const bad = await allocationsPageData(t.db, { version: "1", sort: "nope.desc; drop table x", page: "-3" });
    expect(bad.state.sort).toEqual({ column: "sell_time", dir: "desc" });
    expect(bad.state.page).toBe(1);
  });

  test("allocations: pages do not overlap and cover every row", async () => {
    await t.db.query(`INSERT INTO fifo_settings (key, value) VALUES ('x', 'y') ON CONFLICT DO NOTHING`);
    const seen: string[] = [];
    // page size is one of 25/50/100/200: with 5 rows use the capped path via date filter too
    const p1 = await allocationsPageData(t.db, { version: "1", sort: "sell_time.asc", from: "2025-01-01" });
    expect(p1.page.total).toEqual({ count: 5, exact: true });
    for (const r of p1.page.rows) seen.push(`${r.sellTradeId}-${r.buyTradeId}`);
    expect(new Set(seen).size).toBe(5);
    expect(p1.page.hasMore).toBe(false);
  });

  test("trades: new PnL per sell equals the sum of its allocations", async () => {
    const data = await tradesPageData(t.db, { version: "1", side: "sell", sort: "id.asc" });
    expect(data.page.rows.map((r) => [r.id, r.newPnlUsd, r.matchedSize, r.unmatchedSize])).toEqual([
      [3, "22", "1.5", null],
      [4, "28.5", "1.5", "0.5"],
      [6, "400", "4", null],
      [8, "2", "1", null],
    ]);
    const buys = await tradesPageData(t.db, { version: "2", side: "buy", symbol: "BTC-USD", sort: "id.asc" });
    expect(buys.page.rows.map((r) => [r.id, r.matchedSize])).toEqual([[1, "1"], [2, "2.0"]]);
  });

  test("discrepancies: pnl differences with sign, counts by type", async () => {
    const data = await discrepanciesPageData(t.db, { version: "1", type: "pnl_difference", sort: "trade_id.asc" });
    expect(data.page.rows.map((r) => [r.tradeId, r.expected, r.actual, r.difference])).toEqual([
      [3, "10", "22", "12"],
      [4, "50", "28.5", "-21.5"],
      [8, "1", "2", "1"],
    ]);
    const view = await one<{ n: number }>(
      "SELECT count(*)::int AS n FROM v_allocation_discrepancies WHERE allocation_version = 1 AND discrepancy_type = 'pnl_difference'",
    );
    expect(data.counts.pnl_difference).toBe(view.n);
  });
});

describe("trade page", () => {
  test("a sell: its lots, fee shares and PnL sum to the sell's result; old values beside", async () => {
    const { detail } = await tradePageData(t.db, 3, { version: "1" });
    expect(detail!.trade).toMatchObject({ id: 3, side: "sell", oldParentId: 2, oldPnlUsd: "10" });
    expect(detail!.trade.snapshot).toMatchObject({ parentId: 2, pnlUsd: "10" });
    const sell = detail!.detail!;
    if (sell.kind !== "sell") throw new Error("expected a sell");
    expect(sell.lots.map((l) => [l.buyTradeId, l.allocatedSize, l.buyFeeUsd, l.sellFeeUsd, l.pnlUsd, l.isOldParent])).toEqual([
      [1, "1", "1", "1", "18", false],
      [2, "0.5", "0.5", "0.5", "4", true],
    ]);
    expect([sell.matchedSize, sell.newPnlUsd, sell.differenceUsd, sell.unmatched]).toEqual(["1.5", "22", "12", null]);
    expect(detail!.byVersion.map((v) => [v.version, v.pnlUsd, v.lots])).toEqual([[2, "22", 2], [1, "22", 2]]);
  });

  test("a sell with an unmatched part; a buy with its consumers and what remains", async () => {
    const four = (await tradePageData(t.db, 4, { version: "1" })).detail!;
    if (four.detail?.kind !== "sell") throw new Error("expected a sell");
    expect(four.detail.unmatched).toMatchObject({ unmatchedSize: "0.5", matchedSize: "1.5", notionalUsd: "65.0" });
    expect(four.reviewItems.map((r) => [r.version, r.issueType])).toEqual([[2, "unmatched_sell"], [1, "unmatched_sell"]]);
    const five = (await tradePageData(t.db, 5, { version: "1" })).detail!;
    if (five.detail?.kind !== "buy") throw new Error("expected a buy");
    expect([five.detail.consumedSize, five.detail.remainingSize, five.detail.realizedPnlUsd]).toEqual(["4", "6", "400"]);
    expect(five.detail.consumers.map((c) => c.sellTradeId)).toEqual([6]);
    const one = (await tradePageData(t.db, 1, {})).detail!;
    if (one.detail?.kind !== "buy") throw new Error("expected a buy");
    expect(one.detail.oldChildren.map((c) => c.id)).toEqual([4]);
    expect(await tradePageData(t.db, 999, {})).toMatchObject({ detail: null });
  });
});

describe("compare", () => {
  test("per symbol, old vs version: the sums of each side", async () => {
    const rows = await symbolComparison(t.db, 1, { kind: "old" });
    const btc = rows.find((r) => r.symbol === "BTC-USD")!;
    expect([btc.baselineUsd, btc.targetUsd, btc.differenceUsd]).toEqual(["60", "50.5", "-9.5"]);
  });

  test("snapshot vs now: only the snapshot's sells", async () => {
    const rows = await symbolComparison(t.db, 1, { kind: "snapshot" });
    const btc = rows.find((r) => r.symbol === "BTC-USD")!;
    expect([btc.baselineUsd, btc.targetUsd]).toEqual(["55", "50.5"]); // 10 + 45 (snapshot) vs 22 + 28.5
    expect(rows.find((r) => r.symbol === "ETH-USD")).toMatchObject({ baselineUsd: "0", targetUsd: "0" });
  });

  test("version vs version, both directions", async () => {
    const rows = await symbolComparison(t.db, 2, { kind: "version", version: 1 });
    expect(rows[0]).toMatchObject({ symbol: "ETH-USD", baselineUsd: "400", targetUsd: "300", differenceUsd: "-100" });
    const largest = await largestDifferences(t.db, 2, { kind: "version", version: 1 });
    expect(largest.map((r) => [r.sellTradeId, r.baselineUsd, r.targetUsd, r.differenceUsd])).toEqual([[6, "400", "300", "-100"]]);
    const reverse = await largestDifferences(t.db, 1, { kind: "version", version: 2 });
    expect(reverse.map((r) => r.differenceUsd)).toEqual(["100"]);
    const hist = await differenceHistogram(t.db, 2, { kind: "version", version: 1 });
    expect(hist.reduce((s, b) => s + Number(b.sells), 0)).toBe(4); // every sell of the union
    expect(hist.find((b) => b.bucket === -5)).toMatchObject({ sells: 1, differenceUsd: "-100" });
    expect(hist.find((b) => b.bucket === 0)!.sells).toBe(3);
    const back = await differenceHistogram(t.db, 1, { kind: "version", version: 2 });
    expect(back.find((b) => b.bucket === 5)).toMatchObject({ sells: 1, differenceUsd: "100" });
  });

  test("cumulative lines end at the totals; histogram counts every sell", async () => {
    const points = await cumulativePnl(t.db, 1, { kind: "old" }, "day");
    const last = points.at(-1)!;
    const totals = await one<{ new: string; old: string }>(
      `SELECT (SELECT sum(pnl_usd) FROM fifo_allocations WHERE allocation_version = 1)::text AS new,
              (SELECT sum(pnl_usd) FROM trade_records WHERE side = 'sell')::text AS old`,
    );
    expect([last.cumulativeTargetUsd, last.cumulativeBaselineUsd]).toEqual([totals.new, totals.old]);
    expect(points.map((p) => p.period)).toEqual(["2025-01-03", "2025-01-05", "2025-01-10", "2025-02-01"]);
    const weeks = await cumulativePnl(t.db, 1, { kind: "old" }, "month", "BTC-USD");
    expect(weeks.map((p) => [p.period, p.cumulativeTargetUsd])).toEqual([["2025-01-01", "50.5"]]);
    const hist = await differenceHistogram(t.db, 1, { kind: "old" });
    const sells = await one<{ n: number; d: string }>(
      `SELECT count(*)::int AS n, sum(new_pnl_usd - coalesce(old_pnl_usd, 0))::text AS d FROM dash_sell_pnl WHERE allocation_version = 1`,
    );
    expect(hist.reduce((s, b) => s + Number(b.sells), 0)).toBe(sells.n);
    // 12 -> [10,100) = bucket 4; -21.5 -> -4; 400 -> [100,1000) = 5; 1 -> [1,10) = 3
    expect(hist.filter((b) => b.sells > 0).map((b) => [b.bucket, b.sells])).toEqual([[-4, 1], [3, 1], [4, 1], [5, 1]]);
    expect(sells.d).toBe("391.5"); // 12 - 21.5 + 400 + 1
  });

  test("compare page data", async () => {
    const data = await comparePageData(t.db, { version: "2", against: "v1", bucket: "week" });
    expect(data.baseline).toEqual({ kind: "version", version: 1 });
    expect(data.bySymbol).toHaveLength(3);
    expect(data.histogram).toHaveLength(17);
    const fallback = await comparePageData(t.db, { version: "2", against: "v2" });
    expect(fallback.baseline).toEqual({ kind: "old" });
  });
});
