import { describe, expect, it } from "vitest";
import { FifoBook, allocateSymbol } from "@/lib/fifo";
import { SYMBOL, buy, lines, sell } from "./ledger";

describe("FIFO matching", () => {
  it("spreads a sell over many lots, oldest first, splitting the last one", () => {
    const result = allocateSymbol(SYMBOL, [
      buy(1, "1", "100"),
      buy(2, "2", "110"),
      buy(3, "3", "120"),
      sell(4, "4.5", "130"),
      sell(5, "1", "140"),
    ]);
    expect(lines(result.allocations)).toEqual([
      // sell buy  size   buyFee sellFee pnl
      [4, 1, "1", "0", "0", "30"],
      [4, 2, "2", "0", "0", "40"],
      [4, 3, "1.5", "0", "0", "15"],
      [5, 3, "1", "0", "0", "20"],
    ]);
    expect(result.unmatched).toEqual([]);
    expect(result.openLots).toEqual([
      { buyTradeId: 3, buyTime: "2025-01-01 00:03:00+00", buyPrice: "120", buySize: "3", buyFeeUsd: "0", remainingSize: "0.5", feeRemaining: "0" },
    ]);
  });

  it("a sell exactly emptying a lot moves on to the next lot afterwards", () => {
    const result = allocateSymbol(SYMBOL, [buy(1, "2", "10"), buy(2, "2", "20"), sell(3, "2", "30"), sell(4, "1", "30")]);
    expect(lines(result.allocations)).toEqual([
      [3, 1, "2", "0", "0", "40"],
      [4, 2, "1", "0", "0", "10"],
    ]);
    expect(result.openLots.map((l) => [l.buyTradeId, l.remainingSize])).toEqual([[2, "1"]]);
  });

  it("a sell larger than the inventory is partly unmatched", () => {
    const result = allocateSymbol(SYMBOL, [buy(1, "1.5", "100"), sell(2, "2", "120")]);
    expect(lines(result.allocations)).toEqual([[2, 1, "1.5", "0", "0", "30"]]);
    expect(result.unmatched).toEqual([
      { sellTradeId: 2, symbol: SYMBOL, sellTime: "2025-01-01 00:02:00+00", sellSize: "2", matchedSize: "1.5", unmatchedSize: "0.5", sellPrice: "120", notionalUsd: "60" },
    ]);
    expect(result.openLots).toEqual([]);
  });

  it("a sell with no inventory at all is wholly unmatched", () => {
    const result = allocateSymbol(SYMBOL, [sell(1, "0.25", "40000")]);
    expect(result.allocations).toEqual([]);
    expect(result.unmatched).toMatchObject([{ sellTradeId: 1, matchedSize: "0", unmatchedSize: "0.25", notionalUsd: "10000" }]);
  });

  it("a later buy never covers an earlier sell, and the unmatched part consumes nothing later", () => {
    const result = allocateSymbol(SYMBOL, [sell(1, "1", "100"), buy(2, "1", "90"), sell(3, "1", "110")]);
    expect(lines(result.allocations)).toEqual([[3, 2, "1", "0", "0", "20"]]);
    expect(result.unmatched.map((u) => [u.sellTradeId, u.unmatchedSize])).toEqual([[1, "1"]]);
  });

  it("equal timestamps are ordered by id (the caller's order); lots follow that order", () => {
    const at = { orderTime: "2025-01-01 12:00:00+00" };
    const result = allocateSymbol(SYMBOL, [buy(7, "1", "100", "0", at), buy(8, "1", "200", "0", at), sell(9, "1.5", "300", "0", at)]);
    expect(lines(result.allocations)).toEqual([
      [9, 7, "1", "0", "0", "200"],
      [9, 8, "0.5", "0", "0", "50"],
    ]);
  });

  it("keeps tiny sizes and large prices exact, never in exponent notation", () => {
    const result = allocateSymbol(SYMBOL, [
      buy(1, "0.00000001", "123456789.123456789", "0.00000001"),
      sell(2, "0.00000001", "123456790.123456789"),
    ]);
    expect(lines(result.allocations)).toEqual([[2, 1, "0.00000001", "0.00000001", "0", "0"]]);
    const big = allocateSymbol(SYMBOL, [buy(1, "1", "0.000000001"), sell(2, "0.00000001", "123456789.123456789")]);
    expect(big.allocations[0]!.pnlUsd).toBe("1.23456789123456788") // 0.00000001 * 123456789.123456788;
  });

  it("prints decimals canonically whatever the input padding", () => {
    const result = allocateSymbol(SYMBOL, [buy(1, "1.50000000", "100.10", "0.500"), sell(2, "001.5", "100.1000", null)]);
    expect(result.allocations[0]).toMatchObject({ allocatedSize: "1.5", buyPrice: "100.1", sellPrice: "100.1", buyFeeUsd: "0.5", sellFeeUsd: "0", pnlUsd: "-0.5" });
  });

  it("reports the open size and copies trade times into rows", () => {
    const book = new FifoBook(SYMBOL);
    book.apply(buy(1, "0.1", "1"));
    book.apply(buy(2, "0.2", "1"));
    const { allocations } = book.apply(sell(3, "0.15", "2"));
    expect(book.openSize()).toBe("0.15");
    expect(allocations[0]).toMatchObject({ symbol: SYMBOL, buyTime: "2025-01-01 00:01:00+00", sellTime: "2025-01-01 00:03:00+00" });
  });
});

describe("caller bugs throw", () => {
  it("refuses a trade of another symbol", () => {
    expect(() => new FifoBook("ETH-USD").apply(buy(1, "1", "1"))).toThrow(/symbol BTC-USD/);
  });

  it("refuses trades going backwards in (order_time, id)", () => {
    const book = new FifoBook(SYMBOL);
    book.apply(buy(2, "1", "1"));
    expect(() => book.apply(buy(1, "1", "1"))).toThrow(/order/);
    const sameTime = new FifoBook(SYMBOL);
    sameTime.apply(buy(5, "1", "1", "0", { orderTime: "2025-01-01 00:00:00+00" }));
    expect(() => sameTime.apply(buy(4, "1", "1", "0", { orderTime: "2025-01-01 00:00:00+00" }))).toThrow(/order/);
    expect(() => sameTime.apply(buy(5, "1", "1", "0", { orderTime: "2025-01-01 00:00:00+00" }))).toThrow(/order/);
  });

  it("compares times, not text: fractions of different length and offsets", () => {
    const book = new FifoBook(SYMBOL);
    book.apply(buy(1, "1", "1", "0", { orderTime: "2025-01-01 00:00:05+00" }));
    book.apply(buy(2, "1", "1", "0", { orderTime: "2025-01-01 00:00:05.1+00" }));
    book.apply(buy(3, "1", "1", "0", { orderTime: "2025-01-01 00:00:05.123456+00" }));
    book.apply(buy(4, "1", "1", "0", { orderTime: "2025-01-01T02:00:06+02:00" }));
    expect(() => book.apply(buy(5, "1", "1", "0", { orderTime: "2025-01-01T00:00:05.2Z" }))).toThrow(/order/);
  });

  it("refuses an unreadable order time", () => {
    expect(() => new FifoBook(SYMBOL).apply(buy(1, "1", "1", "0", { orderTime: "yesterday" }))).toThrow(/order time/);
  });
});
