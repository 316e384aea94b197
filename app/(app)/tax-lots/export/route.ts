// The tax report as CSV (the same rows as `npm run tax-report`): /tax-lots/export?version=N&year=Y.
import { getDb } from "@/db/client";
import { TAX_LOT_HEADER, taxReportRows } from "@/db/queries/tax-lots";
import { requireUser } from "@/lib/auth/guard";
import { csvStream } from "@/lib/table/csv";
import { parseTaxLots } from "../params";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const url = new URL(request.url);
  await requireUser("viewer", { next: `${url.pathname}${url.search}` });
  const { version, year } = parseTaxLots(Object.fromEntries(url.searchParams));
  if (!version || !year) return new Response("version and year are required", { status: 400 });
  const db = await getDb();
  return new Response(csvStream(TAX_LOT_HEADER, taxReportRows(db, version, year)), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="tax-lots-v${version}-${year}.csv"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
