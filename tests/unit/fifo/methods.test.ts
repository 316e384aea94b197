import { describe, expect, it } from "vitest";
import { LotBook, MonthEndRecorder, allocateSymbol, monthEndOf, utcMonthOf } from "@/lib/fifo";
import { SYMBOL, buy, lines, sell } from "./ledger";

// One history, three answers. Lots: #1 1 @ 100, #2 1 @ 300 (fee 0.3), #3 1 @ 200.
// Sell #4 1.5 @ 250, then sell #5 1 @ 150.
const history = [
  buy(1, "1", "100"),
  buy(2, "1", "300", "0.3"),
  buy(3, "1", "200"),
  sell(4, "1.5", "250"),
  sell(5, "1", "150"),
];

describe("one history under each lot-selection method", () => {
  it("FIFO takes the oldest lot first", () => {
    const result = allocateSymbol(SYMBOL, history, [], "fifo");
    expect(lines(result.allocations)).toEqual([
      // sell buy size   buyFee  sellFee pnl
      [4, 1, "1", "0", "0", "150"], //      1 x (250 - 100)
      [4, 2, "0.5", "0.15", "0", "-25.15"], // 0.5 x (250 - 300) - half of lot 2's fee
      [5, 2, "0.5", "0.15", "0", "-75.15"], // 0.5 x (150 - 300) - the rest of the fee
      [5, 3, "0.5", "0", "0", "-25"], //     0.5 x (150 - 200)
    ]);
    expect(result.openLots.map((l) => [l.buyTradeId, l.remainingSize])).toEqual([[3, "0.5"]]);
  });

  it("LIFO takes the newest lot opened before the sell first", () => {
    const result = allocateSymbol(SYMBOL, history, [], "lifo");
    expect(lines(result.allocations)).toEqual([
      [4, 3, "1", "0", "0", "50"], //        1 x (250 - 200)
      [4, 2, "0.5", "0.15", "0", "-25.15"],
      [5, 2, "0.5", "0.15", "0", "-75.15"],
      [5, 1, "0.5", "0", "0", "25"], //      0.5 x (150 - 100)
    ]);
    expect(result.openLots.map((l) => [l.buyTradeId, l.remainingSize])).toEqual([[1, "0.5"]]);
  });

  it("HIFO takes the highest buy price first", () => {
    const result = allocateSymbol(SYMBOL, history, [], "hifo");
    expect(lines(result.allocations)).toEqual([
      [4, 2, "1", "0.3", "0", "-50.3"], //   1 x (250 - 300) - all of lot 2's fee
      [4, 3, "0.5", "0", "0", "25"], //      0.5 x (250 - 200)
      [5, 3, "0.5", "0", "0", "-25"], //     0.5 x (150 - 200)
      [5, 1, "0.5", "0", "0", "25"], //      0.5 x (150 - 100)
    ]);
    expect(result.openLots.map((l) => [l.buyTradeId, l.remainingSize])).toEqual([[1, "0.5"]]);
  });

  it("FIFO stays the default", () => {
    expect(allocateSymbol(SYMBOL, history)).toEqual(allocateSymbol(SYMBOL, history, [], "fifo"));
  });
});

describe("rules every method shares", () => {
  it("HIFO breaks equal prices by taking the older lot", () => {
    const result = allocateSymbol(SYMBOL, [buy(1, "1", "100"), buy(2, "1", "200"), buy(3, "1", "200"), sell(4, "1.5", "210")], [], "hifo");
    expect(lines(result.allocations)).toEqual([
      [4, 2, "1", "0", "0", "10"],
      [4, 3, "0.5", "0", "0", "5"],
    ]);
  });

  it("a later buy never covers an earlier sell, even at the same time (LIFO and HIFO)", () => {
    const at = { orderTime: "2025-01-01 12:00:00+00" };
    for (const method of ["lifo", "hifo"] as const) {
      const result = allocateSymbol(SYMBOL, [buy(1, "1", "100", "0", at), sell(2, "2", "120", "0", at), buy(3, "5", "999", "0", at)], [], method);
      expect(lines(result.allocations)).toEqual([[2, 1, "1", "0", "0", "20"]]);
      expect(result.unmatched.map((u) => [u.sellTradeId, u.unmatchedSize])).toEqual([[2, "1"]]);
    }
  });

  it("open lots are listed in the order the method consumes them, and a snapshot resumes in any order", () => {
    const trades = [buy(1, "1", "100"), buy(2, "1", "300"), buy(3, "1", "200")];
    const order = (method: "fifo" | "lifo" | "hifo") => allocateSymbol(SYMBOL, trades, [], method).openLots.map((l) => l.buyTradeId);
    expect(order("fifo")).toEqual([1, 2, 3]);
    expect(order("lifo")).toEqual([3, 2, 1]);
    expect(order("hifo")).toEqual([2, 3, 1]);
    const shuffled = allocateSymbol(SYMBOL, trades, [], "hifo").openLots.reverse();
    const book = new LotBook(SYMBOL, shuffled, "lifo");
    expect(book.apply(sell(4, "1", "150")).allocations.map((a) => a.buyTradeId)).toEqual([3]);
  });
});

describe("month ends", () => {
  it("reads UTC months, offsets included, and knows the last day", () => {
    expect(utcMonthOf("2025-01-31 23:59:59+00")).toBe("2025-01");
    expect(utcMonthOf("2025-02-01T00:30:00+02:00")).toBe("2025-01");
    expect(monthEndOf("2024-02")).toBe("2024-02-29");
    expect(monthEndOf("2025-12")).toBe("2025-12-31");
  });

  it("keeps the open lots each time a month ends, and the last month's provisionally", () => {
    const at = (orderTime: string) => ({ orderTime });
    const trades = [
      buy(1, "1", "100", "0", at("2025-01-10 00:00:00+00")),
      buy(2, "1", "200", "0", at("2025-01-20 00:00:00+00")),
      sell(3, "1", "150", "0", at("2025-03-05 00:00:00+00")),
      buy(4, "2", "120", "0", at("2025-03-06 00:00:00+00")),
    ];
    const book = new LotBook(SYMBOL, [], "hifo");
    const recorder = new MonthEndRecorder();
    for (const t of trades) {
      recorder.beforeTrade(t.orderTime, book);
      book.apply(t);
    }
    const ends = recorder.finish(book).map((m) => [m.monthEnd, m.openSize, m.openLots.map((l) => `${l.buyTradeId}:${l.remainingSize}`)]);
    expect(ends).toEqual([
      ["2025-01-31", "2", ["2:1", "1:1"]],
      ["2025-03-31", "3", ["4:2", "1:1"]],
    ]);
  });
});
