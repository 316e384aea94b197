// CSV of the what-if comparison: realized gains per symbol, tax year and term under each method.
import { getDb } from "@/db/client";
import { chooseVersions, methodVersions, whatIf } from "@/db/queries/what-if";
import { requireUser } from "@/lib/auth/guard";
import { LOT_METHODS } from "@/lib/fifo";
import { csvLine } from "@/lib/table/csv";
import { parseWhatIf } from "../params";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const url = new URL(request.url);
  await requireUser("viewer", { next: `${url.pathname}${url.search}` });
  const { asked, symbol } = parseWhatIf(Object.fromEntries(url.searchParams));
  const db = await getDb();
  const chosen = chooseVersions(await methodVersions(db), asked);
  const result = await whatIf(db, chosen, symbol);
  const methods = LOT_METHODS.filter((m) => chosen[m] !== undefined);
  const lines = [
    csvLine(["symbol", "year", "term", ...methods.map((m) => `${m}_gain_usd (v${chosen[m]})`)]),
    ...result.detail.map((r) => csvLine([r.symbol, r.year, r.term, ...methods.map((m) => r.gains[m] ?? "0")])),
  ];
  return new Response(lines.join(""), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="what-if-by-method.csv"',
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
