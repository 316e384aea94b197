// "What if": the same trades under FIFO, LIFO and HIFO, one version per method, compared per
// symbol and per tax year and term (short/long, as in the tax report). Sums are exact (SQL numeric).
import { LOT_METHODS, type LotMethod } from "@/lib/fifo";
import type { SqlClient } from "../sql-client";

export interface MethodVersion {
  version: number;
  method: LotMethod;
}

/** Versions that hold data, with their method, newest first. */
export async function methodVersions(db: SqlClient): Promise<MethodVersion[]> {
  return db.query<MethodVersion>(
    `SELECT m.allocation_version AS version, m.method FROM fifo_version_methods m
     WHERE EXISTS (SELECT 1 FROM fifo_inventory_snapshot s WHERE s.allocation_version = m.allocation_version)
     ORDER BY m.allocation_version DESC`,
  );
}

/** The chosen version per method: the one asked for if it has that method, else the newest one. */
export function chooseVersions(available: MethodVersion[], asked: Partial<Record<LotMethod, number>>): Partial<Record<LotMethod, number>> {
  const chosen: Partial<Record<LotMethod, number>> = {};
  for (const method of LOT_METHODS) {
    const ofMethod = available.filter((v) => v.method === method);
    const wanted = ofMethod.find((v) => v.version === asked[method]);
    const pick = wanted ?? ofMethod[0];
    if (pick) chosen[method] = pick.version;
  }
  return chosen;
}

export type GainsByMethod = Partial<Record<LotMethod, string>>;

export interface WhatIfRow {
  /** null in the year/term and total rows */
  symbol: string | null;
  /** null in the per-symbol and total rows */
  year: number | null;
  term: "short" | "long" | null;
  gains: GainsByMethod;
}

export interface WhatIf {
  bySymbol: WhatIfRow[];
  byYearTerm: WhatIfRow[];
  total: GainsByMethod;
  /** Every (symbol, year, term), for the CSV. */
  detail: WhatIfRow[];
}

const TERM = `CASE WHEN (a.sell_time AT TIME ZONE 'UTC')::date > (a.buy_time AT TIME ZONE 'UTC')::date + interval '1 year'
  THEN 'long' ELSE 'short' END`;

export async function whatIf(db: SqlClient, versions: Partial<Record<LotMethod, number>>, symbol: string | null = null): Promise<WhatIf> {
  const methodOf = new Map(Object.entries(versions).map(([method, version]) => [version, method as LotMethod]));
  const result: WhatIf = { bySymbol: [], byYearTerm: [], total: {}, detail: [] };
  if (methodOf.size === 0) return result;
  const rows = await db.query<{ v: number; symbol: string | null; year: number | null; term: "short" | "long" | null; g: number; gain: string }>(
    `SELECT a.allocation_version AS v, a.symbol, extract(year FROM a.sell_time AT TIME ZONE 'UTC')::int AS year, ${TERM} AS term,
       grouping(a.symbol, extract(year FROM a.sell_time AT TIME ZONE 'UTC'), ${TERM})::int AS g, sum(a.pnl_usd)::text AS gain
     FROM fifo_allocations a
     WHERE a.allocation_version = ANY ($1::int[]) AND ($2::text IS NULL OR a.symbol = $2)
     GROUP BY GROUPING SETS (
       (a.allocation_version, a.symbol, extract(year FROM a.sell_time AT TIME ZONE 'UTC'), ${TERM}),
       (a.allocation_version, a.symbol),
       (a.allocation_version, extract(year FROM a.sell_time AT TIME ZONE 'UTC'), ${TERM}),
       (a.allocation_version))`,
    [[...methodOf.keys()], symbol],
  );
  const rowsOf = new Map<string, WhatIfRow>();
  const row = (target: WhatIfRow[], key: string, make: () => WhatIfRow) => {
    let r = rowsOf.get(key);
    if (!r) {
      r = make();
      rowsOf.set(key, r);
      target.push(r);
    }
    return r;
  };
  for (const r of rows) {
    const method = methodOf.get(r.v)!;
    // grouping() bits: symbol 4, year 2, term 1 (1 = rolled up)
    if (r.g === 0) row(result.detail, `d|${r.symbol}|${r.year}|${r.term}`, () => ({ symbol: r.symbol, year: r.year, term: r.term, gains: {} })).gains[method] = r.gain;
    else if (r.g === 3) row(result.bySymbol, `s|${r.symbol}`, () => ({ symbol: r.symbol, year: null, term: null, gains: {} })).gains[method] = r.gain;
    else if (r.g === 4) row(result.byYearTerm, `y|${r.year}|${r.term}`, () => ({ symbol: null, year: r.year, term: r.term, gains: {} })).gains[method] = r.gain;
    else if (r.g === 7) result.total[method] = r.gain;
  }
  result.bySymbol.sort((a, b) => (a.symbol! < b.symbol! ? -1 : 1));
  result.byYearTerm.sort((a, b) => a.year! - b.year! || (a.term === "short" ? -1 : 1));
  result.detail.sort((a, b) => (a.symbol! < b.symbol! ? -1 : a.symbol! > b.symbol! ? 1 : a.year! - b.year! || (a.term === "short" ? -1 : 1)));
  return result;
}
