import { compare } from "./decimal";
import type { Lot } from "./lot";

/** How a sell picks among the open lots (SPEC 4). FIFO is the default and the seed's rule. */
export const LOT_METHODS = ["fifo", "lifo", "hifo"] as const;
export type LotMethod = (typeof LOT_METHODS)[number];
export const DEFAULT_LOT_METHOD: LotMethod = "fifo";

export const LOT_METHOD_LABELS: Record<LotMethod, string> = {
  fifo: "FIFO (oldest lot first)",
  lifo: "LIFO (newest lot first)",
  hifo: "HIFO (highest buy price first)",
};

export function isLotMethod(value: unknown): value is LotMethod {
  return typeof value === "string" && (LOT_METHODS as readonly string[]).includes(value);
}

/**
 * The open lots of one symbol, held in the structure a method needs so that the next lot to
 * consume is found without scanning. Lots must be added in buy order ((order_time, id)).
 */
export interface OpenLotPool {
  /** The lot the next sell takes from, or undefined when nothing is open. */
  next(): Lot | undefined;
  /** Removes the lot next() returned: the sell emptied it. */
  removeNext(): void;
  add(lot: Lot): void;
  /** Every open lot, in the order the method would consume them. */
  inConsumptionOrder(): Lot[];
}

// Consumed lots stay in the queue until this many pile up, so a FIFO sell costs O(lots it touches).
const COMPACT_AFTER = 1024;

/** FIFO: a queue; the oldest lot is at the head. */
function oldestFirst(): OpenLotPool {
  let lots: Lot[] = [];
  let head = 0;
  return {
    next: () => lots[head],
    removeNext() {
      head++;
      if (head === lots.length) {
        lots = [];
        head = 0;
      } else if (head >= COMPACT_AFTER && head * 2 >= lots.length) {
        lots = lots.slice(head);
        head = 0;
      }
    },
    add: (lot) => void lots.push(lot),
    inConsumptionOrder: () => lots.slice(head),
  };
}

/** LIFO: a stack; the newest lot opened before the sell is on top. */
function newestFirst(): OpenLotPool {
  const lots: Lot[] = [];
  return {
    next: () => lots[lots.length - 1],
    removeNext: () => void lots.pop(),
    add: (lot) => void lots.push(lot),
    inConsumptionOrder: () => lots.slice().reverse(),
  };
}

interface Ranked {
  lot: Lot;
  /** Buy order: equal prices go oldest first. */
  seq: number;
}

/** HIFO: a binary max-heap on (buy price, then the older lot). */
function highestPriceFirst(): OpenLotPool {
  const heap: Ranked[] = [];
  let seq = 0;
  const before = (a: Ranked, b: Ranked) => {
    const byPrice = compare(a.lot.buyPrice, b.lot.buyPrice);
    return byPrice !== 0 ? byPrice > 0 : a.seq < b.seq;
  };
  const swap = (i: number, j: number) => {
    const t = heap[i]!;
    heap[i] = heap[j]!;
    heap[j] = t;
  };
  return {
    next: () => heap[0]?.lot,
    removeNext() {
      const last = heap.pop();
      if (!last || heap.length === 0) return;
      heap[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let top = i;
        if (l < heap.length && before(heap[l]!, heap[top]!)) top = l;
        if (r < heap.length && before(heap[r]!, heap[top]!)) top = r;
        if (top === i) return;
        swap(i, top);
        i = top;
      }
    },
    add(lot) {
      heap.push({ lot, seq: seq++ });
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!before(heap[i]!, heap[parent]!)) return;
        swap(i, parent);
        i = parent;
      }
    },
    inConsumptionOrder: () => heap.slice().sort((a, b) => (before(a, b) ? -1 : 1)).map((r) => r.lot),
  };
}

/** One small function per method, in the spirit of beancount's booking_method table. */
export const OPEN_LOT_POOLS: Record<LotMethod, () => OpenLotPool> = {
  fifo: oldestFirst,
  lifo: newestFirst,
  hifo: highestPriceFirst,
};
