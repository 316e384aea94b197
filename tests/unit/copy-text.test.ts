// COPY text: what the run writes and reads (db/sql-client.ts, db/compute/allocation-store.ts).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocationCopyLine, allocationCopyRow } from "@/db/compute/allocation-store";
import { decodeCopyLine, encodeCopyRow } from "@/db/sql-client";

const decimal = fc.tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.nat({ max: 18 })).map(([negative, digits, scale]) => {
  const text = digits.toString().padStart(scale + 1, "0");
  return `${negative ? "-" : ""}${scale === 0 ? text : `${text.slice(0, -scale)}.${text.slice(-scale)}`}`;
});
const text = fc.string({ maxLength: 12, unit: "binary" }).filter((s) => !s.includes("\0"));
const id = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });

describe("COPY text", () => {
  it("encodes any row so that decoding gives it back", () => {
    fc.assert(
      fc.property(fc.array(fc.option(text, { nil: null }), { minLength: 1, maxLength: 8 }), (row) => {
        expect(decodeCopyLine(encodeCopyRow(row).slice(0, -1))).toEqual(row);
      }),
    );
  });

  it("an allocation's line is encodeCopyRow of its row", () => {
    const allocation = fc.record({
      symbol: text, sellTradeId: id, buyTradeId: id, allocatedSize: decimal, buyPrice: decimal, sellPrice: decimal,
      buyFeeUsd: decimal, sellFeeUsd: decimal, pnlUsd: decimal, buyTime: text, sellTime: text,
    });
    fc.assert(
      fc.property(allocation, fc.integer({ min: 1, max: 10_000 }), id, (a, version, runId) => {
        expect(allocationCopyLine(version, runId, a)).toBe(encodeCopyRow(allocationCopyRow(version, runId, a)));
      }),
    );
  });
});
