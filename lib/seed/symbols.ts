// The symbol universe: well-known pairs first (with realistic price magnitudes and tick sizes),
// then made-up tickers once the list runs out. It depends only on how many symbols are asked for,
// never on the seed, so two seeds trade the same markets.
import { Prng } from "./prng";
import { PRICE_SCALE } from "./units";
import { parseScaled } from "./decimal";

export interface SymbolSpec {
  symbol: string;
  /** Starting price, units of 10^-PRICE_SCALE USD. */
  basePrice: bigint;
  /** Decimals of a stored price (the exchange's tick). */
  priceDecimals: number;
  /** Decimals of a stored size (the exchange's lot step), at most 8. */
  sizeDecimals: number;
  /** Relative trading activity. */
  weight: number;
}

// symbol, price, price decimals, size decimals, weight
const KNOWN: ReadonlyArray<readonly [string, string, number, number, number]> = [
  ["BTC-USD", "60000", 2, 8, 30],
  ["ETH-USD", "3000", 2, 8, 24],
  ["SOL-USD", "150", 2, 8, 16],
  ["DOGE-USD", "0.1", 5, 1, 12],
  ["XRP-USD", "0.6", 4, 6, 10],
  ["ADA-USD", "0.45", 4, 2, 8],
  ["AVAX-USD", "35", 2, 8, 7],
  ["LINK-USD", "15", 3, 2, 7],
  ["DOT-USD", "7", 3, 8, 6],
  ["LTC-USD", "80", 2, 8, 6],
  ["MATIC-USD", "0.8", 4, 1, 5],
  ["BCH-USD", "350", 2, 8, 5],
  ["ATOM-USD", "9", 3, 2, 5],
  ["UNI-USD", "8", 3, 6, 4],
  ["XLM-USD", "0.12", 6, 0, 4],
  ["ETC-USD", "25", 2, 8, 4],
  ["FIL-USD", "5", 3, 3, 3],
  ["APT-USD", "9", 2, 2, 3],
  ["ARB-USD", "1.1", 4, 1, 3],
  ["OP-USD", "2.2", 3, 2, 3],
  ["NEAR-USD", "5", 3, 3, 3],
  ["ALGO-USD", "0.18", 4, 0, 3],
  ["AAVE-USD", "120", 2, 3, 3],
  ["SHIB-USD", "0.000018", 8, 0, 3],
  ["PEPE-USD", "0.0000095", 9, 0, 2],
  ["MKR-USD", "2000", 2, 6, 2],
  ["CRV-USD", "0.5", 4, 2, 2],
  ["SUI-USD", "1.5", 4, 1, 2],
  ["INJ-USD", "25", 3, 3, 2],
  ["RNDR-USD", "7", 3, 2, 2],
];

export const DEFAULT_SYMBOLS = 8;

export function symbolUniverse(count: number): SymbolSpec[] {
  const specs: SymbolSpec[] = KNOWN.slice(0, count).map(([symbol, price, priceDecimals, sizeDecimals, weight]) => ({
    symbol,
    basePrice: parseScaled(price, PRICE_SCALE),
    priceDecimals,
    sizeDecimals,
    weight,
  }));
  const taken = new Set(specs.map((s) => s.symbol));
  const names = new Prng(0x5eed5); // fixed: the made-up tickers do not depend on --seed
  while (specs.length < count) {
    const length = names.between(3, 4);
    let ticker = "";
    for (let i = 0; i < length; i++) ticker += String.fromCharCode(65 + names.int(26));
    const symbol = `${ticker}-USD`;
    if (taken.has(symbol)) continue;
    taken.add(symbol);
    // A price between 0.01 and ~5000: mantissa 1..9 times a power of ten.
    const exponent = names.between(-2, 3);
    const mantissa = BigInt(names.between(1, 9));
    const basePrice = mantissa * 10n ** BigInt(PRICE_SCALE + exponent);
    const priceDecimals = Math.min(8, Math.max(2, 4 - exponent));
    const sizeDecimals = exponent >= 2 ? 8 : exponent >= 0 ? 4 : 1;
    specs.push({ symbol, basePrice, priceDecimals, sizeDecimals, weight: names.between(1, 2) });
  }
  return specs;
}
