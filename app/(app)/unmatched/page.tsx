import type { Metadata } from "next";
import { optionsOf, versionedFilters } from "@/components/data-table/common-filters";
import { DataTable, type ColumnSpec } from "@/components/data-table";
import { TablePageHeader, pagedTableProps } from "@/components/data-table/table-page";
import { getDb } from "@/db/client";
import { unmatchedPageData } from "@/db/queries/dashboard-pages";
import { requireUser } from "@/lib/auth/guard";
import { REVIEW_STATUSES, SEVERITIES } from "@/lib/table/tables";
import type { SearchParams } from "@/lib/table/url-state";

export const metadata: Metadata = { title: "Unmatched sells · FIFO Allocations" };

const COLUMNS: ColumnSpec[] = [
  { id: "sellTradeId", header: "Sell", kind: "trade", sortKey: "sell_trade_id" },
  { id: "symbol", header: "Symbol", sortKey: "symbol" },
  { id: "sellTime", header: "Sold at", kind: "datetime", sortKey: "sell_time" },
  { id: "sellSize", header: "Sell size", kind: "size" },
  { id: "matchedSize", header: "Matched", kind: "size" },
  { id: "unmatchedSize", header: "Unmatched", kind: "size", sortKey: "unmatched_size" },
  { id: "sellPrice", header: "Price (USD)", kind: "price" },
  { id: "unmatchedNotionalUsd", header: "Unmatched notional (USD)", kind: "usd", sortKey: "unmatched_notional_usd",
    title: "unmatched size × sell price" },
  { id: "severity", header: "Severity", kind: "badge" },
  { id: "reviewStatus", header: "Review", kind: "badge", badgeTone: { pending: "warn", in_review: "medium", resolved: "ok", dismissed: "low" } },
  { id: "oldParentId", header: "Old parent", kind: "trade", title: "The buy the old system matched (trade_records.parent_id)" },
  { id: "oldPnlUsd", header: "Old PnL (USD)", kind: "money" },
];

export default async function UnmatchedPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireUser("viewer");
  const db = await getDb();
  const { context, state, page } = await unmatchedPageData(db, await searchParams);
  return (
    <main className="page page-wide">
      <TablePageHeader
        title="Unmatched sells"
        description="Sells that open lots could not fully cover: the uncovered part has no cost basis yet. Each opens a review item."
        context={context}
      />
      <DataTable
        testId="unmatched-table"
        {...pagedTableProps({ context, state, page })}
        rowKey="sellTradeId"
        columns={COLUMNS}
        filters={[
          ...versionedFilters(context),
          { id: "severity", label: "Severity", type: "select", options: optionsOf(SEVERITIES) },
          { id: "status", label: "Review status", type: "select", options: optionsOf(REVIEW_STATUSES) },
        ]}
        exportHref="/export/unmatched"
        exportParams={{ version: String(context.version) }}
        emptyMessage="No unmatched sells for these filters."
      />
    </main>
  );
}
