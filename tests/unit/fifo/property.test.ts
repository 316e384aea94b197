import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FifoBook, allocateSymbol, type AllocationRow } from "@/lib/fifo";
import { historyArbitrary } from "./history-arbitrary";
import { SYMBOL } from "./ledger";
import { fromScaled, referenceFifo, toScaled } from "./reference-fifo";

const RUNS = 300;

function sum(values: string[]): bigint {
  return values.reduce((total, v) => total + toScaled(v), 0n);
}

describe("the engine against a naive reference", () => {
  it("gives the same allocations, unmatched sells, unusable trades and open lots", () => {
    fc.assert(
      fc.property(historyArbitrary, (trades) => {
        const engine = allocateSymbol(SYMBOL, trades);
        const expected = referenceFifo(trades);
        expect(engine.allocations.map((a) => ({ sell: a.sellTradeId, buy: a.buyTradeId, size: a.allocatedSize, buyFee: a.buyFeeUsd, sellFee: a.sellFeeUsd, pnl: a.pnlUsd })))
          .toEqual(expected.allocations);
        expect(engine.unmatched.map((u) => ({ sell: u.sellTradeId, matched: u.matchedSize, unmatched: u.unmatchedSize, notional: u.notionalUsd })))
          .toEqual(expected.unmatched);
        expect(engine.unusable.map((u) => u.tradeId)).toEqual(expected.unusable);
        expect(engine.openLots.map((l) => ({ buy: l.buyTradeId, remaining: l.remainingSize, feeRemaining: l.feeRemaining })))
          .toEqual(expected.openLots);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("invariants of SPEC 4", () => {
  it("hold on random histories", () => {
    fc.assert(
      fc.property(historyArbitrary, (trades) => {
        const engine = allocateSymbol(SYMBOL, trades);
        const byId = new Map(trades.map((t) => [t.id, t]));
        const position = new Map(trades.map((t, i) => [t.id, i]));
        const rowsOf = (pick: (a: AllocationRow) => number, id: number) => engine.allocations.filter((a) => pick(a) === id);
        const unmatchedOf = new Map(engine.unmatched.map((u) => [u.sellTradeId, u]));

        for (const sellId of new Set([...engine.allocations.map((a) => a.sellTradeId), ...unmatchedOf.keys()])) {
          const sellTrade = byId.get(sellId)!;
          const rows = rowsOf((a) => a.sellTradeId, sellId);
          const unmatched = unmatchedOf.get(sellId);
          // 1. allocated + unmatched = sell size
          expect(sum(rows.map((a) => a.allocatedSize)) + toScaled(unmatched?.unmatchedSize ?? "0")).toBe(toScaled(sellTrade.size));
          // fully matched sell: its fee shares sum exactly to its fee
          if (!unmatched) expect(sum(rows.map((a) => a.sellFeeUsd))).toBe(toScaled(sellTrade.feeUsd ?? "0"));
        }
        for (const buyId of new Set(engine.allocations.map((a) => a.buyTradeId))) {
          const buyTrade = byId.get(buyId)!;
          const rows = rowsOf((a) => a.buyTradeId, buyId);
          const allocated = sum(rows.map((a) => a.allocatedSize));
          // 2. never more than the buy
          expect(allocated <= toScaled(buyTrade.size)).toBe(true);
          if (allocated === toScaled(buyTrade.size)) expect(sum(rows.map((a) => a.buyFeeUsd))).toBe(toScaled(buyTrade.feeUsd ?? "0"));
        }
        const consumed = new Map<number, bigint>();
        for (const a of engine.allocations) {
          // 3. buy before sell
          expect(position.get(a.buyTradeId)! < position.get(a.sellTradeId)!).toBe(true);
          // 4. FIFO: every lot opened before this one is already empty
          for (const [buyId, used] of consumed) {
            if (position.get(buyId)! < position.get(a.buyTradeId)!) expect(used).toBe(toScaled(byId.get(buyId)!.size));
          }
          consumed.set(a.buyTradeId, (consumed.get(a.buyTradeId) ?? 0n) + toScaled(a.allocatedSize));
          // 5. pnl formula, exact
          const gross = (toScaled(a.allocatedSize) * (toScaled(a.sellPrice) - toScaled(a.buyPrice))) / 10n ** 30n;
          expect(a.pnlUsd).toBe(fromScaled(gross - toScaled(a.buyFeeUsd) - toScaled(a.sellFeeUsd)));
          expect(a.allocatedSize).not.toMatch(/e/);
        }
        // 6. deterministic
        expect(allocateSymbol(SYMBOL, trades)).toEqual(engine);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("resuming from open lots", () => {
  it("applying a history in two halves (through JSON) equals one pass", () => {
    fc.assert(
      fc.property(historyArbitrary, fc.nat(), (trades, cut) => {
        const split = trades.length === 0 ? 0 : cut % (trades.length + 1);
        const whole = allocateSymbol(SYMBOL, trades);
        const first = new FifoBook(SYMBOL);
        const firstResults = trades.slice(0, split).map((t) => first.apply(t));
        const stored = JSON.parse(JSON.stringify(first.openLots())) as ReturnType<FifoBook["openLots"]>;
        const rest = allocateSymbol(SYMBOL, trades.slice(split), stored);
        expect([...firstResults.flatMap((r) => r.allocations), ...rest.allocations]).toEqual(whole.allocations);
        expect([...firstResults.flatMap((r) => (r.unmatched ? [r.unmatched] : [])), ...rest.unmatched]).toEqual(whole.unmatched);
        expect(rest.openLots).toEqual(whole.openLots);
      }),
      { numRuns: RUNS },
    );
  });
});

