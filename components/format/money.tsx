// Money in USD: fixed decimals, a sign, green/red by sign. The exact value is in the title.
import { formatDecimal, signOf } from "@/lib/format/decimal";

export interface MoneyProps {
  /** Exact decimal text from SQL (null shows a dash). */
  value: string | null | undefined;
  decimals?: number;
  /** Sign and colour (PnL, differences). Off for amounts that are not gains or losses. */
  signed?: boolean;
  className?: string;
}

export function Money({ value, decimals = 2, signed = true, className }: MoneyProps) {
  if (value === null || value === undefined) return <span className={`num muted ${className ?? ""}`}>—</span>;
  const sign = signed ? signOf(value) : 0;
  const tone = sign > 0 ? "pos" : sign < 0 ? "neg" : "";
  return (
    <span className={`num ${tone} ${className ?? ""}`.trim()} title={`${value} USD`} data-value={value}>
      {formatDecimal(value, { decimals, signed })}
    </span>
  );
}
