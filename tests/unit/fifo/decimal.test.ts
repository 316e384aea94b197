import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Decimal, formatDecimal, parseDecimal, proRataShare } from "@/lib/fifo";

const roundTrip = (text: string) => {
  const value = parseDecimal(text);
  return value === null ? null : formatDecimal(value);
};

describe("exact decimal text", () => {
  it.each([
    ["0.00000001", "0.00000001"],
    ["1.50000000", "1.5"],
    ["001.5", "1.5"],
    ["-0", "0"],
    ["-0.000", "0"],
    [".5", "0.5"],
    ["-.5", "-0.5"],
    ["1.", "1"],
    ["123456789.123456789", "123456789.123456789"],
    ["1000", "1000"],
  ])("%s prints as %s", (text, canonical) => {
    expect(roundTrip(text)).toBe(canonical);
  });

  it.each(["", "NaN", "Infinity", "-Infinity", "1e-8", " 1", "1,5", ".", "-", "0x10"])("%j is not a decimal", (text) => {
    expect(parseDecimal(text)).toBeNull();
  });
});

describe("fee shares round like the configured Big (DP 10, half to even)", () => {
  const decimal = (places: number) =>
    fc.bigInt({ min: 1n, max: 10n ** 14n }).map((units) => formatDecimal({ units, scale: places }));

  it("on random fees, parts and wholes", () => {
    fc.assert(
      fc.property(decimal(10), decimal(8), decimal(8), (fee, part, whole) => {
        const expected = new Decimal(fee).times(part).div(whole).toFixed();
        expect(formatDecimal(proRataShare(parseDecimal(fee)!, parseDecimal(part)!, parseDecimal(whole)!))).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it("on exact halves", () => {
    expect(formatDecimal(proRataShare(parseDecimal("0.00000000005")!, parseDecimal("1")!, parseDecimal("1")!))).toBe("0");
    expect(formatDecimal(proRataShare(parseDecimal("0.00000000015")!, parseDecimal("1")!, parseDecimal("1")!))).toBe("0.0000000002");
    expect(formatDecimal(proRataShare(parseDecimal("0.1")!, parseDecimal("1")!, parseDecimal("3")!))).toBe("0.0333333333");
  });
});
