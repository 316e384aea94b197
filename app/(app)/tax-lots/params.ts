// The tax lots page's URL: ?version=N&year=YYYY&month=YYYY-MM-DD (month end of the open-lots view).
import { z } from "zod";

export const taxLotsSearch = z.object({
  version: z.coerce.number().int().positive().optional().catch(undefined),
  year: z.coerce.number().int().min(1970).max(9999).optional().catch(undefined),
  month: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().catch(undefined),
});

export function parseTaxLots(params: Record<string, string | string[] | undefined>) {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  return taxLotsSearch.parse({ version: first(params.version), year: first(params.year), month: first(params.month) });
}
