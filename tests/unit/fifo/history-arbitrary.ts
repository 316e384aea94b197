import fc from "fast-check";
import type { TradeInput } from "@/lib/fifo";
import { SYMBOL } from "./ledger";

/** A decimal with up to `places` decimals, sometimes padded with trailing zeros like numeric text. */
function decimalText(maxUnits: bigint, places: number): fc.Arbitrary<string> {
  return fc.bigInt({ min: 1n, max: maxUnits }).map((units) => {
    const digits = units.toString().padStart(places + 1, "0");
    return `${digits.slice(0, -places)}.${digits.slice(-places)}`;
  });
}

const size = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom("1", "0.5", "0.25", "2", "0.00000001", "3.00000000") },
  { weight: 3, arbitrary: decimalText(10n ** 9n, 8) },
);
const price = fc.oneof(
  fc.constantFrom("100", "123456789.123456789", "0.00000001"),
  decimalText(10n ** 12n, 4),
);
const fee = fc.oneof(fc.constant(null), fc.constant("0"), fc.constant("0.1"), decimalText(10n ** 11n, 10));

const goodTrade = fc.record({ side: fc.constantFrom("buy", "sell"), size, price, feeUsd: fee, status: fc.constant("filled") });
const badTrade = fc.oneof(
  goodTrade.map((t) => ({ ...t, size: "0" })),
  goodTrade.map((t) => ({ ...t, size: "NaN" })),
  goodTrade.map((t) => ({ ...t, price: "-1" })),
  goodTrade.map((t) => ({ ...t, feeUsd: "" })),
  goodTrade.map((t) => ({ ...t, side: "BUY" })),
  goodTrade.map((t) => ({ ...t, status: "cancelled", size: "garbage" })),
  goodTrade.map((t) => ({ ...t, status: "weird" })),
);

/** Random histories of one symbol, ordered by (time, id), with equal timestamps and bad rows. */
export const historyArbitrary: fc.Arbitrary<TradeInput[]> = fc
  .array(
    fc.record({
      fields: fc.oneof({ weight: 12, arbitrary: goodTrade }, { weight: 1, arbitrary: badTrade }),
      secondsLater: fc.constantFrom(0, 1, 1, 5),
    }),
    { maxLength: 60 },
  )
  .map((rows) => {
    let second = 0;
    return rows.map(({ fields, secondsLater }, i) => {
      second += secondsLater;
      const orderTime = new Date(Date.UTC(2025, 0, 1) + second * 1000).toISOString().replace("T", " ").replace(".000Z", "+00");
      return { id: i + 1, symbol: SYMBOL, orderTime, ...fields };
    });
  });
