/**
 * A deliberately naive FIFO (and LIFO, HIFO) used only to check the engine: every decimal becomes a BigInt with
 * a fixed SCALE of 30 places, lots sit in a plain array consumed with
 * shift(), and the rules of SPEC 4 are restated from scratch.
 */
import type { TradeInput } from "@/lib/fifo";

export const SCALE = 30;
const ONE = 10n ** BigInt(SCALE);

export function toScaled(text: string): bigint {
  const negative = text.startsWith("-");
  const [whole = "", fraction = ""] = (negative ? text.slice(1) : text).split(".");
  if (fraction.length > SCALE) throw new Error(`reference: too many decimals in ${text}`);
  const units = BigInt((whole || "0") + fraction.padEnd(SCALE, "0"));
  return negative ? -units : units;
}

export function fromScaled(units: bigint): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(SCALE + 1, "0");
  const whole = digits.slice(0, -SCALE);
  const fraction = digits.slice(-SCALE).replace(/0+$/, "");
  const text = fraction ? `${whole}.${fraction}` : whole;
  return negative && units !== 0n ? `-${text}` : text;
}

const mul = (a: bigint, b: bigint): bigint => (a * b) / ONE; // exact while decimals fit in SCALE

/** fee * part / whole rounded half to even at 10 places, the slow obvious way. */
export function referenceShare(fee: bigint, part: bigint, whole: bigint): bigint {
  const step = 10n ** BigInt(SCALE - 10);
  const numerator = fee * part;
  const denominator = whole * step;
  let q = numerator / denominator;
  const r = numerator % denominator;
  if (2n * r > denominator || (2n * r === denominator && q % 2n === 1n)) q += 1n;
  return q * step;
}

const NUMBER = /^-?\d+(\.\d+)?$/;
const SKIPPED = ["cancelled", "canceled", "rejected", "pending", "open", "new", "expired", "failed"];

export interface ReferenceAllocation { sell: number; buy: number; size: string; buyFee: string; sellFee: string; pnl: string }
export interface ReferenceResult {
  allocations: ReferenceAllocation[];
  unmatched: { sell: number; matched: string; unmatched: string; notional: string }[];
  unusable: number[];
  openLots: { buy: number; remaining: string; feeRemaining: string }[];
}

type RefLot = { id: number; price: bigint; size: bigint; fee: bigint; left: bigint; feeLeft: bigint };

/** Which open lot a sell takes next, by a plain scan of the lots in buy order. */
const PICK: Record<"fifo" | "lifo" | "hifo", (lots: RefLot[]) => number> = {
  fifo: () => 0,
  lifo: (lots) => lots.length - 1,
  hifo: (lots) => lots.reduce((best, lot, i) => (lot.price > lots[best]!.price ? i : best), 0),
};

export function referenceFifo(trades: TradeInput[], method: "fifo" | "lifo" | "hifo" = "fifo"): ReferenceResult {
  const result: ReferenceResult = { allocations: [], unmatched: [], unusable: [] , openLots: [] };
  const lots: RefLot[] = [];
  for (const t of trades) {
    if (SKIPPED.includes(t.status)) continue;
    const fee = t.feeUsd ?? "0";
    const ok =
      t.status === "filled" && (t.side === "buy" || t.side === "sell") &&
      NUMBER.test(t.size) && toScaled(t.size) > 0n &&
      NUMBER.test(t.price) && toScaled(t.price) > 0n &&
      NUMBER.test(fee) && toScaled(fee) >= 0n;
    if (!ok) { result.unusable.push(t.id); continue; }
    const size = toScaled(t.size), price = toScaled(t.price), feeUsd = toScaled(fee);
    if (t.side === "buy") { lots.push({ id: t.id, price, size, fee: feeUsd, left: size, feeLeft: feeUsd }); continue; }
    let left = size, feeLeft = feeUsd;
    while (left > 0n && lots.length > 0) {
      const index = PICK[method](lots);
      const lot = lots[index]!;
      const take = lot.left < left ? lot.left : left;
      let buyFee = lot.left === take ? lot.feeLeft : referenceShare(lot.fee, take, lot.size);
      if (buyFee > lot.feeLeft) buyFee = lot.feeLeft;
      let sellFee = left === take ? feeLeft : referenceShare(feeUsd, take, size);
      if (sellFee > feeLeft) sellFee = feeLeft;
      const pnl = mul(take, price - lot.price) - buyFee - sellFee;
      result.allocations.push({ sell: t.id, buy: lot.id, size: fromScaled(take), buyFee: fromScaled(buyFee), sellFee: fromScaled(sellFee), pnl: fromScaled(pnl) });
      lot.left -= take; lot.feeLeft -= buyFee; left -= take; feeLeft -= sellFee;
      if (lot.left === 0n) lots.splice(index, 1);
    }
    if (left > 0n) {
      result.unmatched.push({ sell: t.id, matched: fromScaled(size - left), unmatched: fromScaled(left), notional: fromScaled(mul(left, price)) });
    }
  }
  const order = lots.map((_, i) => i);
  if (method === "lifo") order.reverse();
  if (method === "hifo") order.sort((a, b) => (lots[a]!.price === lots[b]!.price ? a - b : lots[a]!.price > lots[b]!.price ? -1 : 1));
  result.openLots = order.map((i) => lots[i]!).map((l) => ({ buy: l.id, remaining: fromScaled(l.left), feeRemaining: fromScaled(l.feeLeft) }));
  return result;
}
