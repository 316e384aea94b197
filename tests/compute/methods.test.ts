// Versions computed with FIFO, LIFO and HIFO side by side: each keeps the method of its first
// run, a different method is refused, incremental equals full, validation replays the version's
// own method, and month-end inventories are kept.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MethodConflictError, versionMethod } from "@/db/compute/methods";
import { coveredTrades, storedAllocations } from "@/db/compute/validation";
import { monthEndsOf, openLotsAtMonthEnd } from "@/db/queries/month-end-inventory";
import { deleteVersion } from "@/db/queries/version-admin";
import { chooseVersions, whatIf } from "@/db/queries/what-if";
import { replayCheck, type Violation } from "@/lib/compute/replay-check";
import { computeAllocations } from "@/lib/compute/run-computation";
import { Decimal, type LotMethod } from "@/lib/fifo";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { allocationRows, insertTrades } from "../helpers/trades";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  // Lots #1 1 @ 100, #2 1 @ 300 (fee 0.3), #3 1 @ 200; sell #4 1.5 @ 250; sell #5 1 @ 150.
  await insertTrades(t.db, [
    { id: 1, side: "buy", size: "1", price: "100", time: "2025-01-10T00:00:00Z" },
    { id: 2, side: "buy", size: "1", price: "300", fee: "0.3", time: "2025-01-11T00:00:00Z" },
    { id: 3, side: "buy", size: "1", price: "200", time: "2025-01-12T00:00:00Z" },
    { id: 4, side: "sell", size: "1.5", price: "250", time: "2025-02-01T00:00:00Z" },
    { id: 5, side: "sell", size: "1", price: "150", time: "2025-03-15T00:00:00Z" },
  ]);
});
afterAll(() => t.drop());

const compute = (version: number, method?: LotMethod, mode: "full" | "incremental" = "full") =>
  computeAllocations(t.db, { version, symbols: null, mode, method, startedBy: "test" });
const pnlOf = async (version: number) =>
  (await t.db.query<{ pnl: string }>("SELECT trim_scale(coalesce(sum(pnl_usd), 0))::text AS pnl FROM fifo_allocations WHERE allocation_version = $1", [version]))[0]!.pnl;
const pairsOf = async (version: number) =>
  (await allocationRows(t.db, version)).map((r) => `${r.sell_trade_id}<${r.buy_trade_id}:${r.allocated_size}`);
async function violationsOf(version: number, method: LotMethod): Promise<Violation[]> {
  const found: Violation[] = [];
  await replayCheck(coveredTrades(t.db, version), storedAllocations(t.db, version), undefined, (v) => found.push(v), method);
  return found;
}

describe("three versions, three methods, one history", () => {
  test("each version computes with its method and keeps it", async () => {
    expect((await compute(1)).status).toBe("succeeded");
    expect((await compute(2, "lifo")).status).toBe("succeeded");
    expect((await compute(3, "hifo")).status).toBe("succeeded");
    expect([await versionMethod(t.db, 1), await versionMethod(t.db, 2), await versionMethod(t.db, 3)]).toEqual(["fifo", "lifo", "hifo"]);
    expect(await pairsOf(1)).toEqual(["4<1:1", "4<2:0.5", "5<2:0.5", "5<3:0.5"]);
    expect(await pairsOf(2)).toEqual(["4<2:0.5", "4<3:1", "5<1:0.5", "5<2:0.5"]);
    expect(await pairsOf(3)).toEqual(["4<2:1", "4<3:0.5", "5<1:0.5", "5<3:0.5"]);
    // 150 - 25.15 - 75.15 - 25; 50 - 25.15 - 75.15 + 25; -50.3 + 25 - 25 + 25
    expect([await pnlOf(1), await pnlOf(2), await pnlOf(3)]).toEqual(["24.7", "-25.3", "-25.3"]);
  });

  test("a later run without --method uses the version's method; another method is refused, nothing queued", async () => {
    expect((await compute(3)).status).toBe("succeeded");
    expect(await pairsOf(3)).toEqual(["4<2:1", "4<3:0.5", "5<1:0.5", "5<3:0.5"]);
    const runsBefore = (await t.db.query("SELECT id FROM fifo_computation_log")).length;
    const refused = compute(3, "lifo");
    await expect(refused).rejects.toBeInstanceOf(MethodConflictError);
    await expect(refused).rejects.toThrow(/Version 3 is computed with HIFO; it cannot be recomputed with LIFO/);
    expect((await t.db.query("SELECT id FROM fifo_computation_log")).length).toBe(runsBefore);
    expect(await versionMethod(t.db, 3)).toBe("hifo");
  });

  test("validation replays each version with its own method, and catches a version checked against another", async () => {
    expect(await violationsOf(1, "fifo")).toEqual([]);
    expect(await violationsOf(2, "lifo")).toEqual([]);
    expect(await violationsOf(3, "hifo")).toEqual([]);
    const asFifo = await violationsOf(3, "fifo");
    expect(asFifo.some((v) => v.invariant === 4 && v.kind === "fifo_order")).toBe(true);
  });

  test("month ends keep the open lots in the method's order", async () => {
    const rows = await t.db.query<{ allocation_version: number; month_end: string; open_size: string; lots: string }>(
      `SELECT allocation_version, month_end::text, open_size::text,
         (SELECT string_agg((l->>'buyTradeId') || ':' || (l->>'remainingSize'), ' ' ORDER BY n) FROM jsonb_array_elements(open_lots) WITH ORDINALITY e(l, n)) AS lots
       FROM fifo_inventory_month_end WHERE allocation_version IN (1, 3) ORDER BY 1, 2`,
    );
    expect(rows.map((r) => [r.allocation_version, r.month_end, r.lots])).toEqual([
      [1, "2025-01-31", "1:1 2:1 3:1"],
      [1, "2025-02-28", "2:0.5 3:1"],
      [1, "2025-03-31", "3:0.5"],
      [3, "2025-01-31", "2:1 3:1 1:1"],
      [3, "2025-02-28", "3:0.5 1:1"],
      [3, "2025-03-31", "1:0.5"],
    ]);
  });

  test("what-if sums each method's gains by tax year and term, exactly; month ends carry over months without trades", async () => {
    const result = await whatIf(t.db, { fifo: 1, lifo: 2, hifo: 3 });
    expect(result.total).toEqual({ fifo: expect.any(String), lifo: expect.any(String), hifo: expect.any(String) });
    expect([result.total.fifo, result.total.lifo, result.total.hifo].map((v) => new Decimal(v!).toFixed())).toEqual(["24.7", "-25.3", "-25.3"]);
    // Sold in 2025 within a year of buying: everything is short term.
    expect(result.byYearTerm.map((r) => [r.year, r.term, new Decimal(r.gains.hifo!).toFixed()])).toEqual([[2025, "short", "-25.3"]]);
    expect(result.bySymbol.map((r) => [r.symbol, new Decimal(r.gains.lifo!).toFixed()])).toEqual([["BTC-USD", "-25.3"]]);
    expect(chooseVersions([{ version: 3, method: "hifo" }, { version: 1, method: "fifo" }, { version: 5, method: "fifo" }], { fifo: 1 })).toEqual({ fifo: 1, hifo: 3 });
    // No trades in February after the 1st, none in April: April 30 shows the March row.
    expect(await monthEndsOf(t.db, 3)).toEqual(["2025-03-31", "2025-02-28", "2025-01-31"]);
    const lots = await openLotsAtMonthEnd(t.db, 3, "2025-04-30");
    expect(lots.map((l) => [l.symbol, l.position, Number(l.buyTradeId), l.remainingSize, new Decimal(l.costBasisUsd).toFixed()])).toEqual([["BTC-USD", 1, 1, "0.5", "50"]]);
    expect(await openLotsAtMonthEnd(t.db, 3, "2024-12-31")).toEqual([]);
  });

  test("incremental runs give what a full recompute gives, for every method (month ends too)", async () => {
    await insertTrades(t.db, [
      { id: 6, side: "buy", size: "2", price: "180", time: "2025-03-20T00:00:00Z" },
      { id: 7, side: "buy", size: "1", price: "220", time: "2025-04-02T00:00:00Z" },
      { id: 8, side: "sell", size: "2.25", price: "210", fee: "0.9", time: "2025-05-05T00:00:00Z" },
    ]);
    const monthEnds = (version: number) =>
      t.db.query("SELECT symbol, month_end::text, open_lots, open_size::text FROM fifo_inventory_month_end WHERE allocation_version = $1 ORDER BY 1, 2", [version]);
    for (const [incremental, full, method] of [[1, 11, "fifo"], [2, 12, "lifo"], [3, 13, "hifo"]] as const) {
      const run = await compute(incremental, undefined, "incremental");
      expect(run.status).toBe("succeeded");
      expect(run.fullRecomputes).toEqual([]);
      expect((await compute(full, method)).status).toBe("succeeded");
      expect(await allocationRows(t.db, incremental)).toEqual(await allocationRows(t.db, full));
      expect(await monthEnds(incremental)).toEqual(await monthEnds(full));
      expect(await violationsOf(incremental, method)).toEqual([]);
    }
  });

  test("deleting a version forgets its method and month ends", async () => {
    await t.db.query("INSERT INTO fifo_settings (key, value) VALUES ('current_version', '1') ON CONFLICT (key) DO UPDATE SET value = '1'");
    await deleteVersion(t.db, 13, "test");
    expect(await versionMethod(t.db, 13)).toBeNull();
    expect(await t.db.query("SELECT 1 FROM fifo_inventory_month_end WHERE allocation_version = 13")).toEqual([]);
    expect((await compute(13, "lifo")).status).toBe("succeeded");
    expect(await versionMethod(t.db, 13)).toBe("lifo");
  });
});
