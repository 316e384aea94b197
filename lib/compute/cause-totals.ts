// Totals per symbol and cause of a run's differing sells (fifo_cause_totals), gathered in memory
// as the run finds them: sells, total and largest difference, and the few largest differences as
// examples for the cause summary. Pure; fed the exact difference the run computed anyway.
import Big from "big.js";
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
  abs: Big;
}

interface Running {
  sells: number;
  total: Big;
  /** numeric's sum keeps the largest scale of its terms: so does the total here. */
  scale: number;
  largest: Example;
  examples: Example[];
}

/** Before: larger absolute difference, then lower trade id. */
function before(a: Example, b: Example): boolean {
  const c = a.abs.cmp(b.abs);
  return c > 0 || (c === 0 && a.tradeId < b.tradeId);
}

function scaleOf(decimal: string): number {
  const point = decimal.indexOf(".");
  return point < 0 ? 0 : decimal.length - point - 1;
}

export class CauseTotals {
  private readonly groups = new Map<string, Map<string, Running>>();

  /** `difference` is d.differenceUsd, exact. */
  add(d: PnlDifference, difference: Big): void {
    let bySymbol = this.groups.get(d.symbol);
    if (!bySymbol) this.groups.set(d.symbol, (bySymbol = new Map()));
    const example = { tradeId: d.id, differenceUsd: d.differenceUsd, abs: difference.abs() };
    let g = bySymbol.get(d.cause);
    if (!g) bySymbol.set(d.cause, (g = { sells: 0, total: new Big(0), scale: 0, largest: example, examples: [] }));
    g.sells++;
    g.total = g.total.plus(difference);
    g.scale = Math.max(g.scale, scaleOf(d.differenceUsd));
    if (example.abs.gt(g.largest.abs)) g.largest = example;
    const examples = g.examples;
    if (examples.length < EXAMPLES_PER_CAUSE || before(example, examples[examples.length - 1]!)) {
      let i = examples.length;
      while (i > 0 && before(example, examples[i - 1]!)) i--;
      examples.splice(i, 0, example);
      if (examples.length > EXAMPLES_PER_CAUSE) examples.pop();
    }
  }

  /** Totals another CauseTotals gave (result()), for symbol and cause pairs this one has not seen. */
  absorb(totals: readonly CauseTotal[]): void {
    for (const t of totals) {
      let bySymbol = this.groups.get(t.symbol);
      if (!bySymbol) this.groups.set(t.symbol, (bySymbol = new Map()));
      if (bySymbol.has(t.cause)) throw new Error(`cause totals of ${t.symbol} ${t.cause} given twice`);
      const largest = { tradeId: 0, differenceUsd: t.largestAbsDifferenceUsd, abs: new Big(t.largestAbsDifferenceUsd) };
      const examples = t.examples.map((e) => ({ ...e, abs: new Big(e.differenceUsd).abs() }));
      bySymbol.set(t.cause, { sells: t.sells, total: new Big(t.totalDifferenceUsd), scale: scaleOf(t.totalDifferenceUsd), largest, examples });
    }
  }

  result(): CauseTotal[] {
    return [...this.groups].flatMap(([symbol, bySymbol]) =>
      [...bySymbol].map(([cause, g]) => ({
        symbol,
        cause,
        sells: g.sells,
        totalDifferenceUsd: g.total.toFixed(g.scale),
        largestAbsDifferenceUsd: g.largest.differenceUsd.replace(/^-/, ""),
        examples: g.examples.map(({ tradeId, differenceUsd }) => ({ tradeId, differenceUsd })),
      })),
    );
  }
}
