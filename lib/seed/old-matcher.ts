// The OLD system's PnL code, flaws included, so that old-vs-new comparisons show the differences
// the seed document describes ("sells matched to wrong buys from months ago"). It processes fills
// in insertion (id) order, as the bot did, and for each sell:
//   - matches the whole sell to ONE buy: usually the oldest buy whose remaining_size > 0 (which,
//     once remaining_size has drifted, is a stale lot months old), sometimes the most recent buy;
//   - computes pnl_usd = sell size * (sell price - that buy's price), ignoring fees and lot
//     splitting, rounded to cents;
//   - mutates remaining_size: the matched buy's, spilling a larger sell's excess over to the next
//     oldest buys, except a quarter of the time (and always for the most recent buy) where the
//     excess is lost; now and then not at all (a crash between the two writes) or twice (a
//     retried update), sometimes with the sell size rounded to 4 decimals (float formatting),
//     which leaves dust behind or eats into the next lot;
//   - does not look at status or price, so cancelled or bad buys count as inventory;
//   - sometimes records nothing (parent_id and pnl_usd stay NULL);
//   - when the position is closed, zeroes remaining_size of the last 30 days' buys only (below).
// Its cache held only the most recent CACHE_PER_SYMBOL open buys of a symbol: older open buys
// keep their remaining_size > 0 in the table forever.
//
// A buy's remaining_size is only final once no later sell can touch it, so buys are held here
// and handed out when they leave the cache (or at the end); sells are handed out at once.
import { divRound, formatScaled, pow10, roundTo } from "./decimal";
import type { Fill } from "./market";
import type { Prng } from "./prng";
import { NOTIONAL_SCALE, PRICE_SCALE, SIZE_SCALE } from "./units";

export const CACHE_PER_SYMBOL = 1000;
const STALE_MS = 30 * 86_400_000;
/** The "position closed" handler was deployed on 2024-09-01; before that, drift only grew. */
export const FLATTEN_HANDLER_SINCE_MS = Date.UTC(2024, 8, 1);

/** A trade_records row, every value as it is stored (decimal strings, ISO timestamps). */
export interface SeedRow {
  id: number;
  symbol: string;
  side: string;
  size: string;
  price: string;
  feeUsd: string;
  orderTime: string;
  status: string;
  source: string;
  parentId: number | null;
  pnlUsd: string | null;
  remainingSize: string | null;
}

export interface OldMatcherStats {
  sellsWithParent: number;
  sellsWithoutParent: number;
  staleMatches: number;
}

interface OpenBuy {
  fill: Fill;
  remaining: bigint;
}

/** The open buys of one symbol, oldest first; the old code only ever took from either end. */
class OpenBuys {
  private items: OpenBuy[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }
  oldest(): OpenBuy | undefined {
    return this.items[this.head];
  }
  newest(): OpenBuy | undefined {
    return this.size > 0 ? this.items[this.items.length - 1] : undefined;
  }
  push(buy: OpenBuy): void {
    this.items.push(buy);
  }
  remove(buy: OpenBuy): void {
    if (this.items[this.head] === buy) {
      this.items[this.head] = undefined as unknown as OpenBuy;
      this.head++;
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
    } else if (this.items[this.items.length - 1] === buy) this.items.pop();
    else throw new Error("old matcher: only the oldest or newest open buy can be removed");
  }
  drain(): OpenBuy[] {
    const rest = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return rest;
  }
}

export class OldMatcher {
  readonly stats: OldMatcherStats = { sellsWithParent: 0, sellsWithoutParent: 0, staleMatches: 0 };
  private readonly open = new Map<string, OpenBuys>();

  constructor(private readonly prng: Prng) {}

  /** Takes the next fill (in id order); returns the rows whose stored values are now final. */
  accept(fill: Fill): SeedRow[] {
    if (fill.side === "buy") return this.acceptBuy(fill);
    if (fill.side === "sell") return this.acceptSell(fill);
    return [toRow(fill, null, null, null)];
  }

  /** Every buy still held, with the remaining_size the old system left on it. */
  finish(): SeedRow[] {
    const rows: SeedRow[] = [];
    for (const buys of this.open.values()) {
      for (const buy of buys.drain()) rows.push(buyRow(buy));
    }
    this.open.clear();
    return rows;
  }

  private acceptBuy(fill: Fill): SeedRow[] {
    if (fill.size <= 0n) return [toRow(fill, null, null, formatScaled(fill.size, SIZE_SCALE))];
    let buys = this.open.get(fill.symbol);
    if (!buys) this.open.set(fill.symbol, (buys = new OpenBuys()));
    buys.push({ fill, remaining: fill.size });
    if (buys.size <= CACHE_PER_SYMBOL) return [];
    const evicted = buys.oldest()!;
    buys.remove(evicted);
    return [buyRow(evicted)];
  }

  private acceptSell(sell: Fill): SeedRow[] {
    const prng = this.prng;
    const buys = this.open.get(sell.symbol);
    const lost = prng.chance(0.03);
    const buy = lost || !buys ? undefined : prng.chance(0.95) ? buys.oldest() : buys.newest();
    if (!buy || !buys) {
      this.stats.sellsWithoutParent++;
      return [toRow(sell, null, null, null)];
    }
    this.stats.sellsWithParent++;
    if (sell.timeMs - buy.fill.timeMs > STALE_MS) this.stats.staleMatches++;
    const pnl = divRound(sell.size * (sell.price - buy.fill.price), pow10(NOTIONAL_SCALE - 2));
    const rows = [toRow(sell, buy.fill.id, formatScaled(pnl, 2), null)];

    const roll = prng.float();
    const times = roll < 0.005 ? 0n : roll < 0.01 ? 2n : 1n;
    const taken = (prng.chance(0.03) ? roundTo(sell.size, SIZE_SCALE, 4) : sell.size) * times;
    // Usually the excess of a sell larger than the matched buy spilled over to the next oldest
    // buys' remaining_size (never to parent_id or pnl_usd); now and then it was lost.
    const spill = buy === buys.oldest() && prng.chance(0.97);
    let left = taken;
    let target: OpenBuy | undefined = buy;
    while (target && left > 0n) {
      const used = left < target.remaining ? left : target.remaining;
      target.remaining -= used;
      left -= used;
      if (target.remaining === 0n) {
        buys.remove(target);
        rows.push(buyRow(target));
      }
      target = spill ? buys.oldest() : undefined;
    }
    if (sell.closesPosition && sell.timeMs >= FLATTEN_HANDLER_SINCE_MS) this.flatten(buys, sell.timeMs, rows);
    return rows;
  }

  /**
   * The bot's "position closed" handler (from FLATTEN_HANDLER_SINCE_MS on): when the exchange
   * balance reached zero it zeroed the remaining_size of the symbol's open buys, but only of
   * those from the last 30 days (its query had `order_time > now() - interval '30 days'`). The
   * drift of the months before survives, and later sells are matched to it: months-old parents.
   */
  private flatten(buys: OpenBuys, now: number, rows: SeedRow[]): void {
    for (let newest = buys.newest(); newest && newest.fill.timeMs > now - STALE_MS; newest = buys.newest()) {
      newest.remaining = 0n;
      buys.remove(newest);
      rows.push(buyRow(newest));
    }
  }
}

function buyRow(buy: OpenBuy): SeedRow {
  return toRow(buy.fill, null, null, formatScaled(buy.remaining, SIZE_SCALE));
}

function toRow(fill: Fill, parentId: number | null, pnlUsd: string | null, remainingSize: string | null): SeedRow {
  return {
    id: fill.id,
    symbol: fill.symbol,
    side: fill.side,
    size: formatScaled(fill.size, SIZE_SCALE),
    price: formatScaled(fill.price, PRICE_SCALE),
    feeUsd: fill.feeUsd,
    orderTime: fill.orderTime,
    status: fill.status,
    source: "bot",
    parentId,
    pnlUsd,
    remainingSize,
  };
}
