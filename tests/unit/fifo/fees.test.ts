import { describe, expect, it } from "vitest";
import { allocateSymbol } from "@/lib/fifo";
import { SYMBOL, buy, lines, sell } from "./ledger";

describe("fee shares", () => {
  it("splits a buy fee of 0.1 over three sells: pro rata, then the last takes the rest", () => {
    const result = allocateSymbol(SYMBOL, [buy(1, "3", "10", "0.1"), sell(2, "1", "10"), sell(3, "1", "10"), sell(4, "1", "10")]);
    expect(lines(result.allocations)).toEqual([
      // sell buy size  buyFee          sellFee pnl
      [2, 1, "1", "0.0333333333", "0", "-0.0333333333"],
      [3, 1, "1", "0.0333333333", "0", "-0.0333333333"],
      [4, 1, "1", "0.0333333334", "0", "-0.0333333334"],
    ]);
  });

  it("splits a sell fee of 0.1 over three lots the same way", () => {
    const result = allocateSymbol(SYMBOL, [buy(1, "1", "10"), buy(2, "1", "10"), buy(3, "1", "10"), sell(4, "3", "10", "0.1")]);
    expect(lines(result.allocations).map(([, , , , sellFee]) => sellFee)).toEqual(["0.0333333333", "0.0333333333", "0.0333333334"]);
  });

  it("rounds half to even at 10 places", () => {
    // 0.00000000005 per unit: exactly half of the last place. 1 unit -> 0 (even), 3 units -> 0.0000000002.
    const result = allocateSymbol(SYMBOL, [buy(1, "8", "1", "0.0000000004"), sell(2, "1", "1"), sell(3, "3", "1")]);
    expect(lines(result.allocations).map(([, , , buyFee]) => buyFee)).toEqual(["0", "0.0000000002"]);
  });

  it("charges both fees on one allocation: pnl = size * (sell - buy) - buy fee - sell fee", () => {
    const result = allocateSymbol(SYMBOL, [buy(1, "2", "100", "1"), sell(2, "0.5", "150", "0.3")]);
    expect(lines(result.allocations)).toEqual([[2, 1, "0.5", "0.25", "0.3", "24.45"]]);
    expect(result.openLots[0]).toMatchObject({ remainingSize: "1.5", feeRemaining: "0.75", buyFeeUsd: "1" });
  });

  it("a partly unmatched sell takes pro-rata fee shares only: its last allocation does not finish it", () => {
    const result = allocateSymbol(SYMBOL, [buy(1, "1", "10"), buy(2, "1", "10"), sell(3, "3", "10", "0.1")]);
    expect(lines(result.allocations).map(([, , , , sellFee]) => sellFee)).toEqual(["0.0333333333", "0.0333333333"]);
    expect(result.unmatched[0]).toMatchObject({ matchedSize: "2", unmatchedSize: "1" });
  });

  it("a null fee counts as zero", () => {
    const result = allocateSymbol(SYMBOL, [buy(1, "1", "10", null), sell(2, "1", "11", null)]);
    expect(lines(result.allocations)).toEqual([[2, 1, "1", "0", "0", "1"]]);
  });

  it("never lets a share exceed the fee left on the lot", () => {
    // 7 sells of 1 from a lot of 7 with fee 0.00000000001 (below the 10th place): all shares round
    // to 0 except the one that empties the lot, which takes the whole fee.
    const trades = [buy(1, "7", "1", "0.00000000001"), ...[2, 3, 4, 5, 6, 7, 8].map((id) => sell(id, "1", "1"))];
    const fees = lines(allocateSymbol(SYMBOL, trades).allocations).map(([, , , buyFee]) => buyFee);
    expect(fees).toEqual(["0", "0", "0", "0", "0", "0", "0.00000000001"]);
  });
});
