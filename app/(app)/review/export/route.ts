// CSV export of the review queue with the page's filters and sort (every matching row, not one page).
import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { exportReviewItems, reviewVersions, type ReviewItemRow } from "@/db/review/queue";
import { filterContext } from "@/db/review/source";
import { requireUser } from "@/lib/auth/guard";
import { parseReviewQuery } from "@/lib/review/query";

export const dynamic = "force-dynamic";

const COLUMNS: (keyof ReviewItemRow)[] = [
  "id", "allocation_version", "trade_id", "symbol", "issue_type", "severity", "status", "cause", "is_dust", "month",
  "trade_time", "unmatched_size", "notional_usd", "old_pnl_usd", "new_pnl_usd", "assignee_email", "resolution_type",
  "resolution_notes", "resolved_at", "resolved_by_email", "manual_trade_id", "opened_by_computation_id",
  "closed_by_computation_id", "reason", "created_at", "updated_at", "row_version",
];

/** RFC 4180 field; a leading =, +, -, @ is prefixed so spreadsheets never run it as a formula. */
function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (/^[=+@\t\r]/.test(text) || (/^-/.test(text) && !/^-\d+(\.\d+)?$/.test(text))) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export async function GET(request: NextRequest) {
  const params = Object.fromEntries(request.nextUrl.searchParams.entries());
  const user = await requireUser("viewer", { next: `/review${request.nextUrl.search}` });
  const db = await getDb();
  const query = parseReviewQuery(params);
  query.version ??= (await reviewVersions(db))[0];
  const ctx = await filterContext(db, user.id);
  const encoder = new TextEncoder();
  const rows = exportReviewItems(db, query, ctx)[Symbol.asyncIterator]();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(COLUMNS.join(",") + "\r\n"));
    },
    async pull(controller) {
      const lines: string[] = [];
      for (let i = 0; i < 500; i++) {
        const next = await rows.next();
        if (next.done) {
          if (lines.length) controller.enqueue(encoder.encode(lines.join("")));
          controller.close();
          return;
        }
        lines.push(COLUMNS.map((c) => csvField(next.value[c])).join(",") + "\r\n");
      }
      controller.enqueue(encoder.encode(lines.join("")));
    },
  });
  const name = `review-queue${query.version ? `-v${query.version}` : ""}.csv`;
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${name}"`,
      "cache-control": "no-store",
    },
  });
}
