import { describe, expect, it } from "vitest";
import { DEFAULT_SEVERITY_THRESHOLDS, severityFor } from "@/lib/fifo";

describe("severityFor", () => {
  it.each([
    ["0", "low"],
    ["9.9999999999", "low"],
    ["10", "medium"],
    ["999.99", "medium"],
    ["1000", "high"],
    ["9999.999999", "high"],
    ["10000", "critical"],
    ["123456789.123456789", "critical"],
  ])("%s USD -> %s", (notional, severity) => {
    expect(severityFor(notional)).toBe(severity);
  });

  it("uses the defaults 10 / 1,000 / 10,000", () => {
    expect(DEFAULT_SEVERITY_THRESHOLDS).toEqual({ lowBelowUsd: "10", mediumBelowUsd: "1000", highBelowUsd: "10000" });
  });

  it("accepts configured thresholds", () => {
    const t = { lowBelowUsd: "1", mediumBelowUsd: "2", highBelowUsd: "3" };
    expect(["0.5", "1", "2", "3"].map((n) => severityFor(n, t))).toEqual(["low", "medium", "high", "critical"]);
  });

  it("refuses a notional that is not a number (a caller bug)", () => {
    expect(() => severityFor("NaN")).toThrow(/not a decimal/);
  });
});
