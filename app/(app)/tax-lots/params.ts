// The tax lots page's URL: ?version=N&year=YYYY&month=YYYY-MM-DD (month end of the open-lots view).
import { z } from "zod";
import { filterFields } from "@/lib/table/url-state";

export const taxLotsSearch = z.object({
  version: filterFields.version,
  year: z.string().regex(/^\d{4}$/).transform(Number).pipe(z.number().min(1970).max(9999)).optional().catch(undefined),
  month: filterFields.day,
});

export function parseTaxLots(params: Record<string, string | string[] | undefined>) {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  return taxLotsSearch.parse({ version: first(params.version), year: first(params.year), month: first(params.month) });
}
