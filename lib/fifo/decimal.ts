import Big from "big.js";

/**
 * Exact decimals for the engine. The hot path uses `Dec`, a scaled BigInt (units / 10^scale):
 * big.js division costs ~3 µs, which made 1,000,000 trades take ~20 s; BigInt keeps it exact
 * and fast. `Decimal` is the one configured Big for code outside the hot path (validators,
 * reports) that must round fee shares exactly like the engine: DP 10, half to even. Tests
 * check that both give the same shares.
 */
export const Decimal = Big();
Decimal.DP = 10;
Decimal.RM = 2; // Big.roundHalfEven
Decimal.strict = true; // refuses JS numbers, so a float cannot sneak into money arithmetic

export type Decimal = Big;

/** Fee shares are rounded to this many decimal places (SPEC 4). */
export const FEE_SHARE_DP = 10;

export interface Dec {
  readonly units: bigint;
  readonly scale: number;
}

export const ZERO: Dec = { units: 0n, scale: 0 };

const POWERS_OF_TEN: bigint[] = [];
function pow10(n: number): bigint {
  return (POWERS_OF_TEN[n] ??= 10n ** BigInt(n));
}

// Plain decimal text as PostgreSQL prints numeric: no exponent, no whitespace, no NaN/Infinity.
const PLAIN_DECIMAL = /^-?(?:\d+\.?\d*|\.\d+)$/;

/** Parses exact decimal text, or returns null when it is not a finite plain decimal. */
export function parseDecimal(text: string): Dec | null {
  if (!PLAIN_DECIMAL.test(text)) return null;
  const point = text.indexOf(".");
  if (point < 0) return { units: BigInt(text), scale: 0 };
  let end = text.length;
  while (end > point + 1 && text.charCodeAt(end - 1) === 48 /* "0" */) end--;
  const whole = text.slice(0, point);
  const fraction = text.slice(point + 1, end);
  const digits = whole === "" || whole === "-" ? whole + "0" + fraction : whole + fraction;
  return { units: BigInt(digits), scale: fraction.length };
}

/** Canonical text: normal notation, no trailing zeros, never an exponent, never "-0". */
export function formatDecimal(value: Dec): string {
  const { units, scale } = value;
  if (units === 0n) return "0";
  const negative = units < 0n;
  let digits = (negative ? -units : units).toString();
  if (scale > 0) {
    if (digits.length <= scale) digits = "0".repeat(scale - digits.length + 1) + digits;
    const point = digits.length - scale;
    let end = digits.length;
    while (end > point && digits.charCodeAt(end - 1) === 48) end--;
    digits = end === point ? digits.slice(0, point) : digits.slice(0, point) + "." + digits.slice(point, end);
  }
  return negative ? "-" + digits : digits;
}

function unitsAt(value: Dec, scale: number): bigint {
  return value.scale === scale ? value.units : value.units * pow10(scale - value.scale);
}

export function plus(a: Dec, b: Dec): Dec {
  const scale = a.scale > b.scale ? a.scale : b.scale;
  return { units: unitsAt(a, scale) + unitsAt(b, scale), scale };
}

export function minus(a: Dec, b: Dec): Dec {
  const scale = a.scale > b.scale ? a.scale : b.scale;
  return { units: unitsAt(a, scale) - unitsAt(b, scale), scale };
}

export function times(a: Dec, b: Dec): Dec {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

/** Negative, zero or positive as a is less than, equal to or greater than b. */
export function compare(a: Dec, b: Dec): number {
  const scale = a.scale > b.scale ? a.scale : b.scale;
  const x = unitsAt(a, scale);
  const y = unitsAt(b, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function minDecimal(a: Dec, b: Dec): Dec {
  return compare(a, b) <= 0 ? a : b;
}

export function signOf(value: Dec): number {
  return value.units < 0n ? -1 : value.units > 0n ? 1 : 0;
}

/** fee * part / whole, rounded half to even at FEE_SHARE_DP places. Inputs are >= 0, whole > 0. */
export function proRataShare(fee: Dec, part: Dec, whole: Dec): Dec {
  if (fee.units === 0n) return ZERO;
  const shift = FEE_SHARE_DP + whole.scale - fee.scale - part.scale;
  let numerator = fee.units * part.units;
  let denominator = whole.units;
  if (shift >= 0) numerator *= pow10(shift);
  else denominator *= pow10(-shift);
  let quotient = numerator / denominator;
  const twiceRemainder = (numerator - quotient * denominator) * 2n;
  if (twiceRemainder > denominator || (twiceRemainder === denominator && (quotient & 1n) === 1n)) quotient += 1n;
  return { units: quotient, scale: FEE_SHARE_DP };
}
