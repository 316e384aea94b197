// Open lots of a version at a month end as CSV: /tax-lots/inventory-export?version=N&month=YYYY-MM-DD.
import { getDb } from "@/db/client";
import { MONTH_END_LOT_HEADER, monthEndLotRows } from "@/db/queries/month-end-inventory";
import { requireUser } from "@/lib/auth/guard";
import { csvStream } from "@/lib/table/csv";
import { parseTaxLots } from "../params";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const url = new URL(request.url);
  await requireUser("viewer", { next: `${url.pathname}${url.search}` });
  const { version, month } = parseTaxLots(Object.fromEntries(url.searchParams));
  if (!version || !month) return new Response("version and month are required", { status: 400 });
  const db = await getDb();
  return new Response(csvStream(MONTH_END_LOT_HEADER, monthEndLotRows(db, version, month)), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="open-lots-v${version}-${month}.csv"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
