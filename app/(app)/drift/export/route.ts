// CSV of the drift page's differing sells (old vs new PnL of each, with its cause) for a version
// and period: the same parameters as the page.
import type { NextRequest } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { DRIFT_SELL_COLUMNS, differingSells, validationPeriod } from "@/db/queries/drift";
import { getCurrentVersion } from "@/db/queries/versions";
import { requireUser } from "@/lib/auth/guard";
import { csvStream } from "@/lib/table/csv";
import { filterFields } from "@/lib/table/url-state";

export const dynamic = "force-dynamic";

const Params = z.object({ version: filterFields.version, from: filterFields.day, to: filterFields.day });

export async function GET(request: NextRequest) {
  await requireUser("viewer", { next: `/drift${request.nextUrl.search}` });
  const params = Params.parse(Object.fromEntries(request.nextUrl.searchParams.entries()));
  const db = await getDb();
  const version = params.version ?? (await getCurrentVersion(db));
  const stored = await validationPeriod(db, version);
  const period = { from: params.from ?? stored.from, to: params.to ?? stored.to };
  if (period.from > period.to) [period.from, period.to] = [period.to, period.from];
  return new Response(csvStream(DRIFT_SELL_COLUMNS, differingSells(db, version, period)), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="drift-v${version}-${period.from}-${period.to}.csv"`,
      "cache-control": "no-store",
    },
  });
}
