// Invariants 4 to 6 of SPEC section 4, checked by replaying the trades through the engine with
// the version's own lot-selection method, walking the stored allocations beside the recomputed
// ones, sell by sell.
import { DEFAULT_LOT_METHOD, LotBook, compareOrderKeys, orderKeyOf, type AllocationRow, type LotMethod, type OpenLot } from "@/lib/fifo";
import type { TradeRow } from "@/db/compute/trade-stream";

export interface StoredAllocation {
  symbol: string;
  sellTradeId: number;
  sellTime: string;
  buyTradeId: number;
  allocatedSize: string;
  buyFeeUsd: string;
  sellFeeUsd: string;
  pnlUsd: string;
}

export interface Violation {
  invariant: number;
  kind: string;
  tradeIds: number[];
  message: string;
}

const FIELDS = ["allocatedSize", "buyFeeUsd", "sellFeeUsd", "pnlUsd"] as const;

/**
 * Both inputs in trade order: trades by (symbol, order_time, id); stored allocations by
 * (symbol, sell order, buy order). Decimal strings are compared as numbers (1.50 = 1.5).
 */
export async function replayCheck(
  trades: AsyncIterable<TradeRow>,
  stored: AsyncIterable<StoredAllocation>,
  openLotsAtStart: (symbol: string) => OpenLot[] = () => [],
  report: (v: Violation) => void,
  method: LotMethod = DEFAULT_LOT_METHOD,
): Promise<{ trades: number; allocations: number }> {
  const storedIt = stored[Symbol.asyncIterator]();
  let pending = await storedIt.next();
  let book: LotBook | null = null;
  let symbol: string | null = null;
  let tradeCount = 0;
  let allocationCount = 0;
  const extra = (a: StoredAllocation) =>
    report({
      invariant: 6,
      kind: "extra_allocation",
      tradeIds: [a.sellTradeId, a.buyTradeId],
      message: `stored allocation sell ${a.sellTradeId} / buy ${a.buyTradeId} is not produced by recomputing`,
    });

  for await (const trade of trades) {
    tradeCount++;
    if (trade.symbol !== symbol) {
      symbol = trade.symbol;
      book = new LotBook(symbol, openLotsAtStart(symbol), method);
    }
    const result = book!.apply(trade);
    // Stored rows that sort before this trade belong to sells the replay did not allocate.
    while (!pending.done && before(pending.value, trade)) {
      extra(pending.value);
      pending = await storedIt.next();
    }
    const mine: StoredAllocation[] = [];
    while (!pending.done && pending.value.sellTradeId === trade.id) {
      mine.push(pending.value);
      pending = await storedIt.next();
    }
    allocationCount += mine.length;
    if (result.allocations.length > 0 || mine.length > 0) compareSell(trade.id, inBuyOrder(result.allocations), mine, report, method);
  }
  while (!pending.done) {
    extra(pending.value);
    pending = await storedIt.next();
  }
  return { trades: tradeCount, allocations: allocationCount };
}

function before(a: StoredAllocation, t: TradeRow): boolean {
  if (a.symbol !== t.symbol) return a.symbol < t.symbol;
  if (a.sellTime !== t.orderTime) return a.sellTime < t.orderTime;
  return a.sellTradeId < t.id;
}

/** The engine lists a sell's rows in the method's order; stored rows come in buy order. */
function inBuyOrder(rows: AllocationRow[]): AllocationRow[] {
  if (rows.length < 2) return rows;
  const keyed = rows.map((row) => ({ row, key: orderKeyOf(row.buyTime, row.buyTradeId) }));
  return keyed.sort((a, b) => (a.key && b.key ? compareOrderKeys(a.key, b.key) : a.row.buyTradeId - b.row.buyTradeId)).map((k) => k.row);
}

const ORDER_WORDS: Record<LotMethod, string> = {
  fifo: "an older lot",
  lifo: "a newer lot",
  hifo: "a lot with a higher buy price (or an older one at the same price)",
};

function compareSell(
  sellId: number,
  expected: AllocationRow[],
  stored: StoredAllocation[],
  report: (v: Violation) => void,
  method: LotMethod,
) {
  const n = Math.max(expected.length, stored.length);
  for (let i = 0; i < n; i++) {
    const e = expected[i];
    const s = stored[i];
    if (!s) {
      report({ invariant: 6, kind: "missing_allocation", tradeIds: [sellId, e!.buyTradeId], message: `sell ${sellId} should take ${e!.allocatedSize} from buy ${e!.buyTradeId}, but no such row is stored` });
      continue;
    }
    if (!e) {
      report({ invariant: 6, kind: "extra_allocation", tradeIds: [sellId, s.buyTradeId], message: `sell ${sellId} has a stored allocation from buy ${s.buyTradeId} that recomputing does not produce` });
      continue;
    }
    if (e.buyTradeId !== s.buyTradeId) {
      report({
        invariant: 4,
        kind: `${method}_order`,
        tradeIds: [sellId, s.buyTradeId, e.buyTradeId],
        message: `sell ${sellId} used buy ${s.buyTradeId}; in ${method.toUpperCase()} order it takes buy ${e.buyTradeId} (${ORDER_WORDS[method]} still open)`,
      });
      continue;
    }
    for (const field of FIELDS) {
      if (!sameDecimal(e[field], s[field])) {
        report({
          invariant: field === "allocatedSize" ? 6 : 5,
          kind: field === "allocatedSize" ? "size_differs" : "formula",
          tradeIds: [sellId, s.buyTradeId],
          message: `sell ${sellId} / buy ${s.buyTradeId}: ${field} is ${s[field]}, the formula gives ${e[field]}`,
        });
      }
    }
  }
}

function sameDecimal(a: string, b: string): boolean {
  return a === b || normalize(a) === normalize(b);
}

function normalize(value: string): string {
  let v = value.trim();
  if (v.includes(".")) v = v.replace(/0+$/, "").replace(/\.$/, "");
  if (v === "-0") v = "0";
  return v;
}
