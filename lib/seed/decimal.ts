// Exact decimals as scaled BigInts (value = units / 10^scale). The generator never holds money or
// sizes in a JS number: prices, sizes, fees and PnL are BigInts here and decimal strings on output.

const POWERS: bigint[] = Array.from({ length: 40 }, (_, i) => 10n ** BigInt(i));

export function pow10(n: number): bigint {
  return POWERS[n] ?? 10n ** BigInt(n);
}

/** a / b rounded half away from zero (b > 0). */
export function divRound(a: bigint, b: bigint): bigint {
  const q = a / b;
  const r = a - q * b;
  if (r === 0n) return q;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice >= b) return a < 0n ? q - 1n : q + 1n;
  return q;
}

/** Re-scales `units` from one scale to a smaller or equal one, rounding half away from zero. */
export function rescale(units: bigint, from: number, to: number): bigint {
  if (to >= from) return units * pow10(to - from);
  return divRound(units, pow10(from - to));
}

/** Rounds to a multiple of 10^(scale - decimals) without changing the scale. */
export function roundTo(units: bigint, scale: number, decimals: number): bigint {
  if (decimals >= scale) return units;
  const step = pow10(scale - decimals);
  return divRound(units, step) * step;
}

/** Rounds down (toward zero) to a multiple of 10^(scale - decimals). */
export function floorTo(units: bigint, scale: number, decimals: number): bigint {
  if (decimals >= scale) return units;
  const step = pow10(scale - decimals);
  return (units / step) * step;
}

/** Formats a scaled value as a plain decimal string without trailing zeros ("60000.12", "0", "-3.5"). */
export function formatScaled(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString();
  let text: string;
  if (scale === 0) text = digits;
  else {
    const padded = digits.length <= scale ? "0".repeat(scale - digits.length + 1) + digits : digits;
    const whole = padded.slice(0, padded.length - scale);
    let fraction = padded.slice(padded.length - scale);
    let end = fraction.length;
    while (end > 0 && fraction.charCodeAt(end - 1) === 48) end--;
    fraction = fraction.slice(0, end);
    text = fraction ? `${whole}.${fraction}` : whole;
  }
  return negative && text !== "0" ? `-${text}` : text;
}

/** Parses a plain decimal string ("0.1", "60000") into units at the given scale (exact or throws). */
export function parseScaled(text: string, scale: number): bigint {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new Error(`not a plain decimal: ${text}`);
  const fraction = match[3] ?? "";
  if (fraction.length > scale) throw new Error(`${text} has more than ${scale} decimals`);
  const units = BigInt(match[2]! + fraction.padEnd(scale, "0"));
  return match[1] ? -units : units;
}
