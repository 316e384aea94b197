// The trading bot's fills, as facts, in the order the bot inserted them (id order): a random walk
// of prices per symbol, orders that mostly buy and then sell part of the position, orders filled
// in bursts of several fills within a second, a few sells larger than the position, a few fills
// reported late (id after, order_time before, their neighbours) and a handful of unusable rows.
import { divRound, floorTo, formatScaled, pow10, roundTo } from "./decimal";
import type { Prng } from "./prng";
import type { SymbolSpec } from "./symbols";
import { NOTIONAL_SCALE, PRICE_SCALE, SIZE_SCALE } from "./units";

export const HISTORY_END_MS = Date.UTC(2025, 10, 20, 12, 0, 0);
export const HISTORY_START_MS = HISTORY_END_MS - 730 * 86_400_000;

export type UnusableKind = "zero_size" | "negative_price" | "hold_side" | "cancelled" | "weird_status";
const UNUSABLE_KINDS: readonly UnusableKind[] = ["zero_size", "negative_price", "hold_side", "cancelled", "weird_status"];

/** One fill as the bot recorded it. Exact values are kept as BigInts for the old matcher. */
export interface Fill {
  id: number;
  symbol: string;
  side: string;
  status: string;
  orderTime: string;
  /** Stored size, SIZE_SCALE units (0 for the zero-size row). */
  size: bigint;
  /** Stored price, PRICE_SCALE units (negative for the negative-price row). */
  price: bigint;
  feeUsd: string;
  /** Set on the rows no FIFO run can use. */
  unusable: UnusableKind | null;
  /** A sell larger than the symbol's position when it was generated. */
  oversell: boolean;
  /** A sell after which the bot held none of the symbol (its exchange balance said so). */
  closesPosition: boolean;
  /** order_time in milliseconds. */
  timeMs: number;
  /** Inserted after fills with a later order_time. */
  late: boolean;
}

interface SymbolState {
  spec: SymbolSpec;
  price: bigint;
  /** `price` rounded to the symbol's tick, as stored. */
  stored: bigint;
  /** The position the bot really holds, SIZE_SCALE units. */
  inventory: bigint;
  /** Price step amplitude in parts per million, so a symbol drifts ~50% over the history. */
  stepPpm: number;
}

/** Unusable rows: ~0.05% of a large history, at least a few in any history worth testing. */
export function unusableRowCount(trades: number): number {
  if (trades >= 1000) return Math.max(5, Math.round(trades / 2000));
  return trades >= 100 ? 1 : 0;
}

export function* marketFills(options: {
  trades: number;
  symbols: readonly SymbolSpec[];
  firstId: number;
  prng: Prng;
}): Generator<Fill> {
  const { trades, prng } = options;
  const totalWeight = options.symbols.reduce((sum, s) => sum + s.weight, 0);
  const cumulative: number[] = [];
  const states: SymbolState[] = options.symbols.map((spec) => {
    cumulative.push((cumulative[cumulative.length - 1] ?? 0) + spec.weight);
    const expectedFills = Math.max(1, (trades * spec.weight) / totalWeight);
    const stepPpm = Math.min(30_000, Math.max(300, Math.floor(900_000 / Math.sqrt(expectedFills))));
    const state = { spec, price: spec.basePrice, stored: 0n, inventory: 0n, stepPpm };
    state.stored = storedPrice(state);
    return state;
  });
  const span = HISTORY_END_MS - HISTORY_START_MS;
  const gap = span / trades;
  let unusableLeft = unusableRowCount(trades);
  let emitted = 0;
  let lastTime = HISTORY_START_MS;
  let nextId = options.firstId;

  const fill = (state: SymbolState, side: string, size: bigint, time: number, late: boolean, oversell: boolean): Fill => {
    const price = state.stored;
    return {
      id: nextId++,
      symbol: state.spec.symbol,
      side,
      status: "filled",
      orderTime: new Date(time).toISOString(),
      timeMs: time,
      size,
      price,
      feeUsd: fee(prng, size, price),
      unusable: null,
      oversell,
      closesPosition: false,
      late,
    };
  };

  while (emitted < trades) {
    const slotsLeft = trades - emitted;
    const state = states[prng.weighted(cumulative)]!;
    if (unusableLeft > 0 && (unusableLeft >= slotsLeft || prng.chance(unusableLeft / slotsLeft))) {
      lastTime = Math.max(lastTime, HISTORY_START_MS + Math.floor(emitted * gap)) + prng.int(1000);
      const kind = UNUSABLE_KINDS[prng.int(UNUSABLE_KINDS.length)]!;
      yield unusableFill(fill(state, prng.chance(0.5) ? "buy" : "sell", orderSize(prng, state), lastTime, false, false), kind);
      unusableLeft--;
      emitted++;
      continue;
    }

    const order = decideOrder(prng, state);
    const maxFills = Math.min(slotsLeft - unusableLeft, Number(order.size / lotStep(state)));
    const fills = Math.max(1, Math.min(maxFills, prng.chance(0.6) ? 1 : prng.between(2, 6)));
    let time = Math.max(lastTime, HISTORY_START_MS + Math.floor(emitted * gap) + prng.int(Math.max(1, Math.floor(gap / 2))));
    time = Math.min(time, HISTORY_END_MS);
    let left = order.size;
    for (let k = 0; k < fills; k++) {
      if (k > 0) {
        // Fills of one order land within a second; some share the exact same timestamp.
        if (!prng.chance(0.3)) time = Math.min(time + prng.between(1, 250), HISTORY_END_MS);
        walk(prng, state, 10);
      } else walk(prng, state, 1);
      const size = k === fills - 1 ? left : splitPart(prng, state, left, fills - k);
      left -= size;
      const held = state.inventory;
      if (order.side === "buy") state.inventory += size;
      else state.inventory = state.inventory > size ? state.inventory - size : 0n;
      const late = prng.chance(0.001);
      const at = late ? Math.max(HISTORY_START_MS, time - prng.between(1_000, 600_000)) : time;
      const made = fill(state, order.side, size, at, late, order.oversell);
      made.closesPosition = order.side === "sell" && held > 0n && state.inventory === 0n;
      yield made;
      emitted++;
    }
    lastTime = time;
  }
}

function lotStep(state: SymbolState): bigint {
  return pow10(SIZE_SCALE - state.spec.sizeDecimals);
}

function storedPrice(state: Pick<SymbolState, "price" | "spec">): bigint {
  const price = roundTo(state.price, PRICE_SCALE, state.spec.priceDecimals);
  return price > 0n ? price : pow10(PRICE_SCALE - state.spec.priceDecimals);
}

/** One step of the symbol's random walk; `damping` shrinks the step for fills within a burst. */
function walk(prng: Prng, state: SymbolState, damping: number): void {
  const amplitude = Math.max(1, Math.floor(state.stepPpm / damping));
  let step = prng.between(-amplitude, amplitude);
  // Pull back towards the starting price so magnitudes stay realistic over two years.
  if (state.price > state.spec.basePrice * 3n) step -= Math.floor(amplitude / 4);
  else if (state.price * 3n < state.spec.basePrice) step += Math.floor(amplitude / 4);
  state.price = divRound(state.price * BigInt(1_000_000 + step), 1_000_000n);
  if (state.price <= 0n) state.price = 1n;
  state.stored = storedPrice(state);
}

/** USD notional of a typical order, in cents: mostly $10 to $10,000, sometimes up to $50,000. */
function orderNotionalCents(prng: Prng): bigint {
  const bucket = prng.weighted([30, 75, 95, 100]);
  const [low, high] = ([[1_000, 10_000], [10_000, 100_000], [100_000, 1_000_000], [1_000_000, 5_000_000]] as const)[bucket]!;
  return BigInt(prng.between(low, high));
}

function orderSize(prng: Prng, state: SymbolState): bigint {
  const price = state.stored;
  // cents * 10^(PRICE_SCALE + SIZE_SCALE - 2) / price = size in SIZE_SCALE units
  const size = floorTo((orderNotionalCents(prng) * pow10(PRICE_SCALE + SIZE_SCALE - 2)) / price, SIZE_SCALE, state.spec.sizeDecimals);
  return size > 0n ? size : lotStep(state);
}

interface Order {
  side: "buy" | "sell";
  size: bigint;
  oversell: boolean;
}

function decideOrder(prng: Prng, state: SymbolState): Order {
  if (state.inventory === 0n) {
    // Now and then the bot sells what it does not hold (a missed buy, a deposit it never saw).
    if (prng.chance(0.01)) return { side: "sell", size: orderSize(prng, state), oversell: true };
    return { side: "buy", size: orderSize(prng, state), oversell: false };
  }
  const holding = (state.inventory * state.stored) / pow10(NOTIONAL_SCALE - 2); // cents
  const sellChance = holding > 500_000n ? 0.6 : 0.4;
  if (!prng.chance(sellChance)) return { side: "buy", size: orderSize(prng, state), oversell: false };
  if (prng.chance(0.02)) {
    const size = floorTo((state.inventory * BigInt(prng.between(1_100, 3_000))) / 1_000n, SIZE_SCALE, state.spec.sizeDecimals);
    return { side: "sell", size: size > state.inventory ? size : state.inventory + lotStep(state), oversell: true };
  }
  if (prng.chance(0.08)) return { side: "sell", size: state.inventory, oversell: false };
  const part = floorTo((state.inventory * BigInt(prng.between(100, 900))) / 1_000n, SIZE_SCALE, state.spec.sizeDecimals);
  return { side: "sell", size: part > 0n ? part : state.inventory, oversell: false };
}

/** A share of what is left of an order, leaving at least one lot step for each remaining fill. */
function splitPart(prng: Prng, state: SymbolState, left: bigint, fillsLeft: number): bigint {
  const step = lotStep(state);
  const max = left - BigInt(fillsLeft - 1) * step;
  const part = floorTo((left * BigInt(prng.between(200, 700))) / 1_000n, SIZE_SCALE, state.spec.sizeDecimals);
  if (part < step) return step;
  return part > max ? max : part;
}

/** ~0.1% of notional (sometimes a maker rebate tier, sometimes none), to cents or to 6 decimals. */
function fee(prng: Prng, size: bigint, price: bigint): string {
  const ratePpm = BigInt([1_000, 1_000, 1_000, 1_000, 600, 1_500, 0][prng.int(7)]!);
  const decimals = prng.chance(0.7) ? 2 : 6;
  const notional = size * (price < 0n ? -price : price);
  const units = divRound(notional * ratePpm, 1_000_000n * pow10(NOTIONAL_SCALE - decimals));
  return formatScaled(units, decimals);
}

function unusableFill(fill: Fill, kind: UnusableKind): Fill {
  switch (kind) {
    case "zero_size":
      return { ...fill, unusable: kind, size: 0n, feeUsd: "0" };
    case "negative_price":
      return { ...fill, unusable: kind, price: -fill.price };
    case "hold_side":
      return { ...fill, unusable: kind, side: "hold" };
    case "cancelled":
      return { ...fill, unusable: kind, status: "cancelled" };
    case "weird_status":
      return { ...fill, unusable: kind, status: "weird" };
  }
}
