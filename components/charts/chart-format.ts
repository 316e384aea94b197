// Axis and tooltip formatting for the charts. Chart coordinates are JS numbers (the one place money
// becomes a float); tooltips show the exact decimal text carried alongside.
import { formatUsd } from "@/lib/format/decimal";

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

/** "$1.2M", "−$350": axis ticks. */
export function usdTick(value: number): string {
  const sign = value < 0 ? "−" : "";
  return `${sign}$${compact.format(Math.abs(value))}`;
}

export function usdExact(text: string | undefined | null): string {
  return text === undefined || text === null ? "" : `${formatUsd(text)} USD`;
}

export const COLORS = { baseline: "#98a2b3", target: "#2e6bd8", pos: "#12805c", neg: "#c0362c", zero: "#667085" };
