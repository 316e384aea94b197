import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LOT_METHODS, LotBook, allocateSymbol, type LotMethod, type OpenLot } from "@/lib/fifo";
import { historyArbitrary } from "./history-arbitrary";
import { SYMBOL } from "./ledger";
import { referenceFifo, toScaled } from "./reference-fifo";

const RUNS = 200;

/** Does lot a come before lot b in the method's order? Lots are [position in history, price]. */
const COMES_FIRST: Record<LotMethod, (a: [number, bigint], b: [number, bigint]) => boolean> = {
  fifo: (a, b) => a[0] < b[0],
  lifo: (a, b) => a[0] > b[0],
  hifo: (a, b) => a[1] > b[1] || (a[1] === b[1] && a[0] < b[0]),
};

describe.each(LOT_METHODS)("%s against a naive reference", (method) => {
  it("gives the reference's allocations, unmatched sells, unusable trades and open lots", () => {
    fc.assert(
      fc.property(historyArbitrary, (trades) => {
        const engine = allocateSymbol(SYMBOL, trades, [], method);
        const expected = referenceFifo(trades, method);
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

  it("keeps every invariant: sizes, buy before sell, method order, exact fees, determinism", () => {
    fc.assert(
      fc.property(historyArbitrary, (trades) => {
        const engine = allocateSymbol(SYMBOL, trades, [], method);
        const byId = new Map(trades.map((t) => [t.id, t]));
        const position = new Map(trades.map((t, i) => [t.id, i]));
        const left = new Map<number, bigint>();
        const unmatched = new Map(engine.unmatched.map((u) => [u.sellTradeId, toScaled(u.unmatchedSize)]));
        const allocatedOfSell = new Map<number, bigint>();
        for (const a of engine.allocations) {
          const sellAt = position.get(a.sellTradeId)!;
          const buyAt = position.get(a.buyTradeId)!;
          expect(buyAt).toBeLessThan(sellAt); // 3
          // Lots opened before the sell start full; buys the engine could use are the only lots.
          for (const t of trades) {
            if (t.side === "buy" && position.get(t.id)! < sellAt && !left.has(t.id) && engine.unusable.every((u) => u.tradeId !== t.id) && t.status === "filled") {
              left.set(t.id, toScaled(t.size));
            }
          }
          // 4: no open lot that comes first in the method's order was passed over
          const chosen: [number, bigint] = [buyAt, toScaled(a.buyPrice)];
          for (const [buyId, remaining] of left) {
            if (buyId === a.buyTradeId || remaining === 0n) continue;
            const other: [number, bigint] = [position.get(buyId)!, toScaled(byId.get(buyId)!.price)];
            expect(COMES_FIRST[method](other, chosen), `sell ${a.sellTradeId} took ${a.buyTradeId} before ${buyId}`).toBe(false);
          }
          left.set(a.buyTradeId, left.get(a.buyTradeId)! - toScaled(a.allocatedSize));
          expect(left.get(a.buyTradeId)! >= 0n).toBe(true); // 2
          allocatedOfSell.set(a.sellTradeId, (allocatedOfSell.get(a.sellTradeId) ?? 0n) + toScaled(a.allocatedSize));
        }
        for (const [sellId, allocated] of allocatedOfSell) {
          expect(allocated + (unmatched.get(sellId) ?? 0n)).toBe(toScaled(byId.get(sellId)!.size)); // 1
        }
        expect(allocateSymbol(SYMBOL, trades, [], method)).toEqual(engine); // 6
      }),
      { numRuns: RUNS },
    );
  });

  it("incremental == full: two halves through a JSON snapshot equal one pass", () => {
    fc.assert(
      fc.property(historyArbitrary, fc.nat(), (trades, cut) => {
        const split = trades.length === 0 ? 0 : cut % (trades.length + 1);
        const whole = allocateSymbol(SYMBOL, trades, [], method);
        const first = new LotBook(SYMBOL, [], method);
        const firstResults = trades.slice(0, split).map((t) => first.apply(t));
        const stored = JSON.parse(JSON.stringify(first.openLots())) as OpenLot[];
        const rest = allocateSymbol(SYMBOL, trades.slice(split), stored, method);
        expect([...firstResults.flatMap((r) => r.allocations), ...rest.allocations]).toEqual(whole.allocations);
        expect([...firstResults.flatMap((r) => (r.unmatched ? [r.unmatched] : [])), ...rest.unmatched]).toEqual(whole.unmatched);
        expect(rest.openLots).toEqual(whole.openLots);
      }),
      { numRuns: RUNS },
    );
  });
});
