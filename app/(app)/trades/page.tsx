import type { Metadata } from "next";
import { optionsOf, versionedFilters } from "@/components/data-table/common-filters";
import { DataTable, type ColumnSpec } from "@/components/data-table";
import { TablePageHeader, pagedTableProps } from "@/components/data-table/table-page";
import { getDb } from "@/db/client";
import { tradesPageData } from "@/db/queries/dashboard-pages";
import { requireUser } from "@/lib/auth/guard";
import type { SearchParams } from "@/lib/table/url-state";

export const metadata: Metadata = { title: "Trades · FIFO Allocations" };

const COLUMNS: ColumnSpec[] = [
  { id: "id", header: "Trade", kind: "trade", sortKey: "id" },
  { id: "orderTime", header: "Filled at", kind: "datetime", sortKey: "order_time" },
  { id: "symbol", header: "Symbol" },
  { id: "side", header: "Side", kind: "badge", badgeTone: { buy: "ok", sell: "warn" } },
  { id: "size", header: "Size", kind: "size" },
  { id: "price", header: "Price (USD)", kind: "price" },
  { id: "feeUsd", header: "Fee (USD)", kind: "usd", decimals: 4 },
  { id: "status", header: "Status" },
  { id: "source", header: "Source" },
  { id: "matchedSize", header: "Matched / consumed", kind: "size", title: "Sell: size matched to lots. Buy: size consumed by sells." },
  { id: "unmatchedSize", header: "Unmatched", kind: "size" },
  { id: "newPnlUsd", header: "New PnL (USD)", kind: "money" },
  { id: "oldPnlUsd", header: "Old PnL (USD)", kind: "money" },
  { id: "oldParentId", header: "Old parent", kind: "trade" },
];

export default async function TradesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireUser("viewer");
  const db = await getDb();
  const { context, state, page } = await tradesPageData(db, await searchParams);
  return (
    <main className="page page-wide">
      <TablePageHeader
        title="Trades"
        description="The bot's fills (trade_records), with the old system's stored parent and PnL beside this version's result."
        context={context}
      />
      <DataTable
        testId="trades-table"
        {...pagedTableProps({ context, state, page })}
        rowKey="id"
        columns={COLUMNS}
        filters={[
          ...versionedFilters(context),
          { id: "side", label: "Side", type: "select", options: optionsOf(["buy", "sell"]) },
          { id: "source", label: "Source", type: "select", options: optionsOf(["bot", "manual"]) },
        ]}
        exportHref="/export/trades"
        exportParams={{ version: String(context.version) }}
        emptyMessage="No trades for these filters."
      />
    </main>
  );
}
