// CSV export of any dashboard table: /export/<table>?<the table's filters and sort>. Streams the
// rows in keyset chunks (db/queries/copy-export.ts): nothing is held while the browser is slow to
// read, and 1,000,000 rows never sit in memory. A busy database answers 503 "try again".
import { getDb } from "@/db/client";
import { exportTable } from "@/db/queries/dashboard-pages";
import { DatabaseBusyError } from "@/db/postgres-client";
import { requireUser } from "@/lib/auth/guard";
import { DATABASE_BUSY_MESSAGE } from "@/lib/database-busy";
import { csvStream } from "@/lib/table/csv";
import { TABLES, type TableName } from "@/lib/table/tables";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ table: string }> }) {
  try {
    const url = new URL(request.url);
    await requireUser("viewer", { next: `${url.pathname}${url.search}` });
    const { table } = await params;
    if (!Object.hasOwn(TABLES, table)) return new Response("Unknown table", { status: 404 });
    const db = await getDb();
    const { header, rows, filename } = await exportTable(db, table as TableName, url.searchParams);
    return new Response(csvStream(header, rows), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  } catch (error) {
    if (!(error instanceof DatabaseBusyError)) throw error;
    return new Response(DATABASE_BUSY_MESSAGE, { status: 503, headers: { "Retry-After": "5", "Content-Type": "text/plain; charset=utf-8" } });
  }
}
