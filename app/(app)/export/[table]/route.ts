// CSV export of any dashboard table: /export/<table>?<the table's filters and sort>. Streams the
// rows (COPY through a ReadableStream) so even 1,000,000 rows never sit in memory.
import { getDb } from "@/db/client";
import { exportTable } from "@/db/queries/dashboard-pages";
import { requireUser } from "@/lib/auth/guard";
import { csvStream } from "@/lib/table/csv";
import { TABLES, type TableName } from "@/lib/table/tables";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ table: string }> }) {
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
}
