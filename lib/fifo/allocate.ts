import { LotBook } from "./book";
import type { LotMethod } from "./lot-methods";
import type { AllocationRow, OpenLot, TradeInput, UnmatchedSell, UnusableTrade } from "./types";

export interface SymbolAllocation {
  allocations: AllocationRow[];
  unmatched: UnmatchedSell[];
  unusable: UnusableTrade[];
  /** The inventory left after the last trade: the snapshot an incremental run resumes from. */
  openLots: OpenLot[];
}

/**
 * Runs one symbol's trades, already ordered by (order_time, id), through a book of the given
 * lot-selection method (FIFO by default), optionally resuming from the open lots of an earlier run.
 */
export function allocateSymbol(
  symbol: string,
  trades: Iterable<TradeInput>,
  openLots?: OpenLot[],
  method?: LotMethod,
): SymbolAllocation {
  const book = new LotBook(symbol, openLots, method);
  const result: SymbolAllocation = { allocations: [], unmatched: [], unusable: [], openLots: [] };
  for (const trade of trades) {
    const applied = book.apply(trade);
    for (const allocation of applied.allocations) result.allocations.push(allocation);
    if (applied.unmatched) result.unmatched.push(applied.unmatched);
    if (applied.unusable) result.unusable.push(applied.unusable);
  }
  result.openLots = book.openLots();
  return result;
}
