// The what-if page's URL: ?fifo=1&lifo=2&hifo=3&symbol=BTC-USD (every part optional).
import { z } from "zod";
import type { LotMethod } from "@/lib/fifo";
import { filterFields, versionParam } from "@/lib/table/url-state";

const version = z.unknown().transform(versionParam).optional();

export const whatIfSearch = z.object({
  fifo: version,
  lifo: version,
  hifo: version,
  symbol: filterFields.symbol,
});

export function parseWhatIf(params: Record<string, string | string[] | undefined>) {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const parsed = whatIfSearch.parse({ fifo: first(params.fifo), lifo: first(params.lifo), hifo: first(params.hifo), symbol: first(params.symbol) });
  const asked: Partial<Record<LotMethod, number>> = { fifo: parsed.fifo, lifo: parsed.lifo, hifo: parsed.hifo };
  return { asked, symbol: parsed.symbol ?? null };
}
