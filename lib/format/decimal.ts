// Display formatting for exact decimals (numeric values arrive from SQL as strings). Rounding is
// done by big.js on the string, so no money value ever passes through a JS float here.
import Big from "big.js";

export interface DecimalFormat {
  /** Digits after the decimal point (fixed, padded with zeros). */
  decimals: number;
  /** "+" in front of positive values (money differences, PnL). */
  signed?: boolean;
  /** Thousands separators (default true). */
  grouping?: boolean;
}

const MINUS = "\u2212"; // a real minus sign: same width as "+", reads better than a hyphen

/** True when the text is a finite decimal that big.js can read. */
export function isDecimal(value: string | null | undefined): value is string {
  if (value === null || value === undefined || value === "") return false;
  try {
    new Big(value);
    return true;
  } catch {
    return false;
  }
}

/** -1, 0 or 1 for a decimal string (0 for anything unreadable). */
export function signOf(value: string | null | undefined): -1 | 0 | 1 {
  if (!isDecimal(value)) return 0;
  const b = new Big(value);
  return b.gt(0) ? 1 : b.lt(0) ? -1 : 0;
}

function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/**
 * Formats an exact decimal string: rounded half away from zero to `decimals`, thousands grouped,
 * optional "+" sign. Values that are not decimals (NaN from a bad trade row) are shown as is.
 */
export function formatDecimal(value: string | null | undefined, format: DecimalFormat): string {
  if (value === null || value === undefined) return "";
  if (!isDecimal(value)) return value;
  const rounded = new Big(value).round(format.decimals, Big.roundHalfUp);
  const fixed = rounded.abs().toFixed(format.decimals);
  const [whole, fraction] = fixed.split(".");
  const body = (format.grouping ?? true ? group(whole!) : whole!) + (fraction ? `.${fraction}` : "");
  const isZero = rounded.eq(0);
  if (rounded.lt(0) && !isZero) return MINUS + body;
  if (format.signed && !isZero) return "+" + body;
  return body;
}

/** Money in USD, 2 decimals unless told otherwise. */
export function formatUsd(value: string | null | undefined, decimals = 2, signed = true): string {
  return formatDecimal(value, { decimals, signed });
}

/** Sizes (base quantity): 8 decimals by default, like most exchanges. */
export function formatSize(value: string | null | undefined, decimals = 8): string {
  return formatDecimal(value, { decimals });
}

/** Counts from SQL (bigint arrives as number, count(*) as number or string). */
export function formatCount(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return "";
  return group(String(value));
}
