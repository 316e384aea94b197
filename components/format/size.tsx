// A quantity (base units) or a price: fixed decimals, grouped, exact value in the title.
import { formatDecimal } from "@/lib/format/decimal";

export function Size({ value, decimals = 8 }: { value: string | null | undefined; decimals?: number }) {
  if (value === null || value === undefined) return <span className="num muted">—</span>;
  return (
    <span className="num" title={value} data-value={value}>
      {formatDecimal(value, { decimals })}
    </span>
  );
}

/** Prices in USD per unit: 6 decimals, enough for the smallest tick of any symbol. */
export function Price({ value }: { value: string | null | undefined }) {
  return <Size value={value} decimals={6} />;
}
