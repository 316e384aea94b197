// The synthetic trade history: market fills (facts) annotated by the old matcher (its wrong
// parent_id / pnl_usd / remaining_size). A generator, so a million rows never sit in memory at
// once. Same options, same rows, byte for byte.
import { marketFills } from "./market";
import { OldMatcher, type SeedRow } from "./old-matcher";
import { Prng } from "./prng";
import { DEFAULT_SYMBOLS, symbolUniverse } from "./symbols";

export type { SeedRow } from "./old-matcher";

export const DEFAULT_SEED = 20251120;
export { DEFAULT_SYMBOLS };

export interface SeedOptions {
  trades: number;
  symbols?: number;
  seed?: number;
  /** Id of the first generated row; later rows follow in insertion order. */
  firstId?: number;
}

export interface SeedStats {
  trades: number;
  symbols: number;
  buys: number;
  sells: number;
  unusable: number;
  /** Sells generated larger than the position they sold from. */
  oversells: number;
  /** Fills inserted after fills with a later order_time. */
  lateReports: number;
  /** Old system: sells given a parent_id (and pnl_usd), or left NULL. */
  sellsWithParent: number;
  sellsWithoutParent: number;
  /** Old system: sells matched to a buy more than 30 days older. */
  staleMatches: number;
  firstId: number;
  lastId: number;
}

export interface SeedHistory {
  /** The rows, in an order where each row's values are final (not id order: buys come late). */
  rows: Generator<SeedRow>;
  /** Filled in while `rows` is consumed; complete once it is exhausted. */
  stats: SeedStats;
}

export function generateHistory(options: SeedOptions): SeedHistory {
  const trades = options.trades;
  const symbolCount = options.symbols ?? DEFAULT_SYMBOLS;
  const seed = options.seed ?? DEFAULT_SEED;
  const firstId = options.firstId ?? 1;
  if (!Number.isSafeInteger(trades) || trades < 0) throw new Error(`trades must be a whole number >= 0, got ${trades}`);
  if (!Number.isSafeInteger(symbolCount) || symbolCount < 1) throw new Error(`symbols must be >= 1, got ${symbolCount}`);
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`seed must be 0..4294967295, got ${seed}`);
  if (!Number.isSafeInteger(firstId) || firstId < 1) throw new Error(`firstId must be >= 1, got ${firstId}`);

  const stats: SeedStats = {
    trades: 0,
    symbols: 0,
    buys: 0,
    sells: 0,
    unusable: 0,
    oversells: 0,
    lateReports: 0,
    sellsWithParent: 0,
    sellsWithoutParent: 0,
    staleMatches: 0,
    firstId,
    lastId: firstId - 1,
  };
  // Separate streams: the market does not change when the old matcher's flaws are tuned.
  const market = marketFills({ trades, symbols: symbolUniverse(symbolCount), firstId, prng: new Prng(seed) });
  const matcher = new OldMatcher(new Prng((seed ^ 0x01d5eed) >>> 0));

  function* rows(): Generator<SeedRow> {
    const traded = new Set<string>();
    for (const fill of market) {
      stats.trades++;
      stats.lastId = fill.id;
      traded.add(fill.symbol);
      stats.symbols = traded.size;
      if (fill.unusable) stats.unusable++;
      else if (fill.side === "buy") stats.buys++;
      else stats.sells++;
      if (fill.oversell && !fill.unusable) stats.oversells++;
      if (fill.late) stats.lateReports++;
      yield* matcher.accept(fill);
    }
    yield* matcher.finish();
    Object.assign(stats, matcher.stats);
  }
  return { rows: rows(), stats };
}
