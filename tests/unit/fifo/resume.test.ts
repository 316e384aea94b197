import { describe, expect, it } from "vitest";
import { FifoBook, allocateSymbol, type OpenLot } from "@/lib/fifo";
import { SYMBOL, buy, sell } from "./ledger";

const history = [
  buy(1, "1", "100", "0.1"),
  buy(2, "2", "110", "0.2"),
  sell(3, "1.5", "120", "0.3"),
  buy(4, "0.5", "90"),
  sell(5, "1", "130", "0.1"),
  sell(6, "2", "140", "0.2"),
];

describe("incremental runs resume from open lots", () => {
  it("two halves through a JSON snapshot give the same rows as one pass", () => {
    const onePass = allocateSymbol(SYMBOL, history);
    const firstHalf = allocateSymbol(SYMBOL, history.slice(0, 3));
    const snapshot = JSON.parse(JSON.stringify(firstHalf.openLots)) as OpenLot[];
    expect(snapshot).toEqual([
      { buyTradeId: 2, buyTime: "2025-01-01 00:02:00+00", buyPrice: "110", buySize: "2", buyFeeUsd: "0.2", remainingSize: "1.5", feeRemaining: "0.15" },
    ]);
    const secondHalf = allocateSymbol(SYMBOL, history.slice(3), snapshot);
    expect([...firstHalf.allocations, ...secondHalf.allocations]).toEqual(onePass.allocations);
    expect([...firstHalf.unmatched, ...secondHalf.unmatched]).toEqual(onePass.unmatched);
    expect(secondHalf.openLots).toEqual(onePass.openLots);
  });

  it("refuses a trade older than the newest lot of the snapshot", () => {
    const snapshot = allocateSymbol(SYMBOL, history.slice(0, 2)).openLots;
    const book = new FifoBook(SYMBOL, snapshot);
    expect(() => book.apply(sell(1, "1", "1"))).toThrow(/order/);
  });

  it("refuses a corrupt snapshot instead of computing from it", () => {
    const lot: OpenLot = { buyTradeId: 1, buyTime: "2025-01-01 00:01:00+00", buyPrice: "1", buySize: "1", buyFeeUsd: "0", remainingSize: "2", feeRemaining: "0" };
    expect(() => new FifoBook(SYMBOL, [lot])).toThrow(/invalid open lot of buy 1/);
    expect(() => new FifoBook(SYMBOL, [{ ...lot, remainingSize: "NaN" }])).toThrow(/remainingSize/);
  });
});
