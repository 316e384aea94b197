import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { PnlDifferenceLog, type PnlDifference } from "@/lib/compute/review-candidates";
import { DISCREPANCY_CAUSES } from "@/lib/compute/discrepancy-causes";
import { encodeCopyRow } from "@/db/sql-client";

const decimal = fc.tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.nat({ max: 12 })).map(([negative, digits, scale]) => {
  const text = digits.toString().padStart(scale + 1, "0");
  const value = scale === 0 ? text : `${text.slice(0, -scale)}.${text.slice(-scale)}`;
  return negative && digits !== 0n ? `-${value}` : value;
});

const difference: fc.Arbitrary<PnlDifference> = fc.record({
  id: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  symbol: fc.string({ minLength: 1, maxLength: 20, unit: "binary" }), // the bot's symbols: any text, tabs and backslashes included
  orderTime: fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }).map((d) => d.toISOString()),
  oldPnlUsd: decimal,
  newPnlUsd: decimal,
  differenceUsd: decimal,
  aboveItemThreshold: fc.boolean(),
  oldParentId: fc.option(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), { nil: null }),
  cause: fc.constantFrom(...DISCREPANCY_CAUSES),
});

describe("PnlDifferenceLog", () => {
  it("gives back exactly what went in, in order", () => {
    fc.assert(
      fc.property(fc.array(difference, { maxLength: 30 }), (differences) => {
        const log = new PnlDifferenceLog();
        for (const d of differences) log.push(d);
        expect(log.length).toBe(differences.length);
        expect([...log]).toEqual(differences);
        expect([...log]).toEqual(differences); // read twice: nothing is consumed
      }),
    );
  });

  it("moves its rows to another log unchanged (drain, then pushEncoded)", () => {
    fc.assert(
      fc.property(fc.array(difference, { maxLength: 20 }), fc.array(difference, { maxLength: 20 }), (first, second) => {
        const a = new PnlDifferenceLog();
        const b = new PnlDifferenceLog();
        for (const d of first) b.push(d);
        for (const d of second) a.push(d);
        b.pushEncoded(a.drain());
        expect(a.length).toBe(0);
        expect([...b]).toEqual([...first, ...second]);
      }),
    );
  });

  it("writes each difference as its fifo_pnl_differences COPY line", () => {
    fc.assert(
      fc.property(fc.array(difference, { maxLength: 30 }), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 9999 }), (differences, version, runId) => {
        const log = new PnlDifferenceLog();
        for (const d of differences) log.push(d);
        const lines = [...log.copyLines(version, runId)].join("");
        const expected = differences
          .map((d) => encodeCopyRow([version, d.id, d.symbol, d.orderTime, d.oldParentId, d.oldPnlUsd, d.newPnlUsd, d.differenceUsd, d.cause, runId]))
          .join("");
        expect(lines).toBe(expected);
      }),
    );
  });

  it("picks for review exactly the unexplained or large differences whose cause is not accepted", () => {
    fc.assert(
      fc.property(fc.array(difference, { maxLength: 40 }), fc.subarray([...DISCREPANCY_CAUSES]), (differences, accepted) => {
        const log = new PnlDifferenceLog();
        for (const d of differences) log.push(d);
        const acceptedSet = new Set<string>(accepted);
        expect([...log.needingReview(acceptedSet)]).toEqual(
          differences.filter((d) => (d.cause === "unexplained" || d.aboveItemThreshold) && !acceptedSet.has(d.cause)),
        );
      }),
    );
  });
});
