import { type Dec, compare, parseDecimal } from "./decimal";

export type Severity = "low" | "medium" | "high" | "critical";

/** Upper bounds (exclusive) in USD of the unmatched notional for each severity. */
export interface SeverityThresholds {
  lowBelowUsd: string;
  mediumBelowUsd: string;
  highBelowUsd: string;
}

export const DEFAULT_SEVERITY_THRESHOLDS: SeverityThresholds = {
  lowBelowUsd: "10",
  mediumBelowUsd: "1000",
  highBelowUsd: "10000",
};

/** low < 10 <= medium < 1,000 <= high < 10,000 <= critical (defaults; SPEC 4). */
export function severityFor(notionalUsd: string, t: SeverityThresholds = DEFAULT_SEVERITY_THRESHOLDS): Severity {
  const notional = parse("notionalUsd", notionalUsd);
  if (compare(notional, parse("lowBelowUsd", t.lowBelowUsd)) < 0) return "low";
  if (compare(notional, parse("mediumBelowUsd", t.mediumBelowUsd)) < 0) return "medium";
  if (compare(notional, parse("highBelowUsd", t.highBelowUsd)) < 0) return "high";
  return "critical";
}

function parse(name: string, text: string): Dec {
  const value = parseDecimal(text);
  if (value === null) throw new Error(`severityFor: ${name} is not a decimal number (got ${JSON.stringify(text)})`);
  return value;
}
