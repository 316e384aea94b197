// Filter conditions shared by the table sources. Values always travel as parameters.
import { dayRange } from "@/lib/table/url-state";
import type { SqlParams } from "./params";

/** Filters after the page resolved the version (the URL may omit it: then the current one). */
export interface BaseFilters {
  version: number;
  symbol?: string;
  from?: string;
  to?: string;
}

export function baseConditions(
  p: SqlParams,
  f: { version?: number; symbol?: string; from?: string; to?: string },
  columns: { version?: string; symbol: string; time: string },
): string[] {
  const out: string[] = [];
  if (columns.version && f.version !== undefined) out.push(`${columns.version} = ${p.add(f.version)}::int`);
  if (f.symbol) out.push(`${columns.symbol} = ${p.add(f.symbol)}::text`);
  const { fromTs, toTs } = dayRange(f.from, f.to);
  if (fromTs) out.push(`${columns.time} >= ${p.add(fromTs)}::timestamptz`);
  if (toTs) out.push(`${columns.time} < ${p.add(toTs)}::timestamptz`);
  return out;
}
