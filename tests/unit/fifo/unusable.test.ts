import { describe, expect, it } from "vitest";
import { FifoBook, allocateSymbol } from "@/lib/fifo";
import { SYMBOL, buy, sell } from "./ledger";

function reasonForBuy(size: string, price: string, feeUsd = "0"): string | undefined {
  return new FifoBook(SYMBOL).apply(buy(1, size, price, feeUsd)).unusable?.reason;
}

describe("unusable trades are returned, never thrown", () => {
  it.each([
    // size   price       fee      reason
    ["0", "10", "0", "size must be > 0 (got 0)"],
    ["-1", "10", "0", "size must be > 0 (got -1)"],
    ["1", "-2.5", "0", "price must be > 0 (got -2.5)"],
    ["NaN", "10", "0", 'size is not a decimal number (got "NaN")'],
    ["", "10", "0", 'size is not a decimal number (got "")'],
    ["1", "Infinity", "0", 'price is not a decimal number (got "Infinity")'],
    ["1e5", "10", "0", 'size is not a decimal number (got "1e5")'],
    ["1", "10", "-0.01", "fee_usd must be >= 0 (got -0.01)"],
    ["1", "10", "abc", 'fee_usd is not a decimal number (got "abc")'],
  ])("size %j, price %j, fee %j -> %s", (size, price, fee, reason) => {
    expect(reasonForBuy(size, price, fee)).toBe(reason);
  });

  it("lists every problem of a row", () => {
    expect(reasonForBuy("0", "NaN")).toBe('size must be > 0 (got 0); price is not a decimal number (got "NaN")');
  });

  it("flags an unknown side, including another case ('BUY')", () => {
    const book = new FifoBook(SYMBOL);
    expect(book.apply({ ...buy(1, "1", "1"), side: "BUY" }).unusable?.reason).toBe(
      "unknown side \"BUY\" (expected 'buy' or 'sell', case-sensitive)",
    );
    expect(book.apply({ ...buy(2, "1", "1"), side: "short" }).unusable).toMatchObject({ tradeId: 2, symbol: SYMBOL });
  });

  it("flags an unknown status, partially_filled and 'FILLED' included", () => {
    for (const status of ["weird", "partially_filled", "FILLED", ""]) {
      const result = new FifoBook(SYMBOL).apply(buy(1, "1", "1", "0", { status }));
      expect(result.skipped).toBe(false);
      expect(result.unusable?.reason).toMatch(/^unknown status/);
    }
  });

  it("skips known non-filled statuses silently, even with garbage numbers", () => {
    for (const status of ["cancelled", "canceled", "rejected", "pending", "open", "new", "expired", "failed"]) {
      const result = new FifoBook(SYMBOL).apply(buy(1, "NaN", "0", "0", { status }));
      expect(result).toEqual({ allocations: [], unmatched: null, unusable: null, skipped: true });
    }
  });

  it("flags an infinite order time", () => {
    const result = new FifoBook(SYMBOL).apply(buy(1, "1", "1", "0", { orderTime: "infinity" }));
    expect(result.unusable?.reason).toBe("order_time must be a finite time (got infinity)");
  });

  it("an unusable buy opens no lot and an unusable sell consumes nothing", () => {
    const result = allocateSymbol(SYMBOL, [
      buy(1, "1", "100"),
      buy(2, "0", "100"),
      sell(3, "1", "-1"),
      { ...sell(4, "1", "120"), status: "cancelled" },
      sell(5, "2", "110"),
    ]);
    expect(result.unusable.map((u) => [u.tradeId, u.orderTime])).toEqual([
      [2, "2025-01-01 00:02:00+00"],
      [3, "2025-01-01 00:03:00+00"],
    ]);
    expect(result.allocations.map((a) => [a.sellTradeId, a.buyTradeId, a.allocatedSize])).toEqual([[5, 1, "1"]]);
    expect(result.unmatched.map((u) => [u.sellTradeId, u.unmatchedSize])).toEqual([[5, "1"]]);
  });
});
