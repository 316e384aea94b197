import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TradeRouter } from "@/lib/compute/trade-router";

/** COPY lines sorted by symbol (second field), cut into chunks anywhere, even inside a line. */
const copyText = fc
  .array(fc.tuple(fc.constantFrom("AAA", "B\\tX", "C", "DD", "E\\\\"), fc.integer({ min: 1, max: 20 })), { maxLength: 8 })
  .chain((symbols) => {
    const unique = [...new Map(symbols).entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    let id = 0;
    const lines = unique.flatMap(([symbol, n]) => Array.from({ length: n }, () => `${++id}\t${symbol}\tbuy\t1\t2\t0\t2025-01-01\tfilled\t\\N\t\\N\n`));
    const text = lines.join("");
    return fc.tuple(fc.constant(lines), fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, text.length - 1) })).map((cuts) => {
      const sorted = [0, ...cuts.filter((c) => c < text.length).sort((a, b) => a - b), text.length];
      return sorted.slice(1).map((end, i) => text.slice(sorted[i], end));
    }));
  });

describe("TradeRouter", () => {
  it("gives every symbol's lines, whole and in order, to one worker", () => {
    fc.assert(
      fc.property(copyText, fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 200 }), ([lines, chunks], workers, batch) => {
        const received: string[] = Array.from({ length: workers }, () => "");
        let next = 0;
        const router = new TradeRouter(workers, () => next++ % workers, (w, text) => {
          expect(text.endsWith("\n")).toBe(true);
          received[w] += text;
        }, batch);
        for (const chunk of chunks) router.push(chunk);
        router.end();
        const symbolOf = (line: string) => line.split("\t")[1]!;
        const owner = new Map<string, number>();
        received.forEach((text, w) => {
          for (const line of text.split("\n").slice(0, -1)) {
            const symbol = symbolOf(line);
            expect(owner.get(symbol) ?? w).toBe(w);
            owner.set(symbol, w);
          }
        });
        for (const symbol of new Set(lines.map(symbolOf))) {
          const mine = received[owner.get(symbol)!]!.split("\n").slice(0, -1).filter((l) => symbolOf(l) === symbol).map((l) => `${l}\n`);
          expect(mine).toEqual(lines.filter((l) => symbolOf(l) === symbol));
        }
      }),
    );
  });

  it("passes a chunk of one symbol on without splitting it into lines", () => {
    const sent: string[] = [];
    const router = new TradeRouter(2, () => 1, (_w, text) => sent.push(text), 1);
    router.push("1\tX\ta\n2\tX\tb\n3\tX");
    router.push("\tc\n");
    router.end();
    expect(sent).toEqual(["1\tX\ta\n2\tX\tb\n", "3\tX\tc\n"]);
  });
});
