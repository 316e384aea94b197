// Totals per symbol and cause of a run's differing sells (fifo_cause_totals), gathered in memory
// while the differences are written: sells, total and largest difference, and the few largest
// differences as examples for the cause summary. Pure.
import { compare, parseDecimal, plus, ZERO, type Dec } from "@/lib/fifo/decimal";
import type { PnlDifference } from "./review-candidates";

export const EXAMPLES_PER_CAUSE = 3;

export interface CauseExample {
  tradeId: number;
  differenceUsd: string;
}

export interface CauseTotal {
  symbol: string;
  cause: string;
  sells: number;
  totalDifferenceUsd: string;
  largestAbsDifferenceUsd: string;
  /** Largest absolute difference first, then the lower trade id. */
  examples: CauseExample[];
}

interface Example {
  tradeId: number;
  differenceUsd: string;
  abs: Dec;
}

interface Running {
  sells: number;
  /** Exact, at the largest scale of its terms (as numeric's sum keeps it). */
  total: Dec;
  largest: Example;
  examples: Example[];
}

/** Before: larger absolute difference, then lower trade id. */
function before(a: Example, b: Example): boolean {
  const c = compare(a.abs, b.abs);
  return c > 0 || (c === 0 && a.tradeId < b.tradeId);
}

export function causeTotals(differences: Iterable<PnlDifference>): CauseTotal[] {
  const groups = new Map<string, Map<string, Running>>();
  for (const d of differences) {
    let bySymbol = groups.get(d.symbol);
    if (!bySymbol) groups.set(d.symbol, (bySymbol = new Map()));
    const difference = parseDecimal(d.differenceUsd);
    if (difference === null) throw new Error(`difference of sell ${d.id} is not a decimal: ${d.differenceUsd}`);
    const example = { tradeId: d.id, differenceUsd: d.differenceUsd, abs: difference.units < 0n ? { ...difference, units: -difference.units } : difference };
    let g = bySymbol.get(d.cause);
    if (!g) bySymbol.set(d.cause, (g = { sells: 0, total: ZERO, largest: example, examples: [] }));
    g.sells++;
    g.total = plus(g.total, difference);
    if (compare(example.abs, g.largest.abs) > 0) g.largest = example;
    const examples = g.examples;
    if (examples.length < EXAMPLES_PER_CAUSE || before(example, examples[examples.length - 1]!)) {
      let i = examples.length;
      while (i > 0 && before(example, examples[i - 1]!)) i--;
      examples.splice(i, 0, example);
      if (examples.length > EXAMPLES_PER_CAUSE) examples.pop();
    }
  }
  return [...groups].flatMap(([symbol, bySymbol]) =>
    [...bySymbol].map(([cause, g]) => ({
      symbol,
      cause,
      sells: g.sells,
      totalDifferenceUsd: atScale(g.total),
      largestAbsDifferenceUsd: g.largest.differenceUsd.replace(/^-/, ""),
      examples: g.examples.map(({ tradeId, differenceUsd }) => ({ tradeId, differenceUsd })),
    })),
  );
}

/** The value's digits at its own scale, trailing zeros kept ("3.10" stays "3.10"). */
function atScale({ units, scale }: Dec): string {
  const digits = (units < 0n ? -units : units).toString().padStart(scale + 1, "0");
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return units < 0n ? `-${text}` : text;
}
