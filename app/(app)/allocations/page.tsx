import type { Metadata } from "next";
import { versionedFilters } from "@/components/data-table/common-filters";
import { DataTable, type ColumnSpec } from "@/components/data-table";
import { TablePageHeader, pagedTableProps } from "@/components/data-table/table-page";
import { getDb } from "@/db/client";
import { allocationsPageData } from "@/db/queries/dashboard-pages";
import { requireUser } from "@/lib/auth/guard";
import type { SearchParams } from "@/lib/table/url-state";

export const metadata: Metadata = { title: "Allocations · FIFO Allocations" };

const COLUMNS: ColumnSpec[] = [
  { id: "sellTradeId", header: "Sell", kind: "trade", sortKey: "sell_trade_id" },
  { id: "buyTradeId", header: "Buy (lot)", kind: "trade" },
  { id: "symbol", header: "Symbol" },
  { id: "sellTime", header: "Sold at", kind: "datetime", sortKey: "sell_time" },
  { id: "buyTime", header: "Bought at", kind: "datetime" },
  { id: "allocatedSize", header: "Size", kind: "size" },
  { id: "buyPrice", header: "Buy price (USD)", kind: "price" },
  { id: "sellPrice", header: "Sell price (USD)", kind: "price" },
  { id: "buyFeeUsd", header: "Buy fee share (USD)", kind: "usd", decimals: 4 },
  { id: "sellFeeUsd", header: "Sell fee share (USD)", kind: "usd", decimals: 4 },
  { id: "pnlUsd", header: "PnL (USD)", kind: "money", sortKey: "pnl_usd" },
];

export default async function AllocationsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireUser("viewer");
  const db = await getDb();
  const { context, state, page } = await allocationsPageData(db, await searchParams);
  return (
    <main className="page page-wide">
      <TablePageHeader
        title="Allocations"
        description="Every (sell, lot) pair the FIFO engine matched: size, prices, pro-rata fee shares and realized PnL."
        context={context}
      />
      <DataTable
        testId="allocations-table"
        {...pagedTableProps({ context, state, page })}
        rowKey={["sellTradeId", "buyTradeId"]}
        columns={COLUMNS}
        filters={[
          ...versionedFilters(context),
          { id: "trade", label: "Trade id (sell or buy)", type: "number", placeholder: "e.g. 1234" },
        ]}
        exportHref="/export/allocations"
        exportParams={{ version: String(context.version) }}
        emptyMessage="No allocations for these filters."
      />
    </main>
  );
}
