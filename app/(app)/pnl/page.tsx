import type { Metadata } from "next";
import Link from "next/link";
import { symbolFilter, versionFilter } from "@/components/data-table/common-filters";
import { DataTable, type ColumnSpec } from "@/components/data-table";
import { TablePageHeader, pagedTableProps } from "@/components/data-table/table-page";
import { Money } from "@/components/format/money";
import { getDb } from "@/db/client";
import { pnlPageData } from "@/db/queries/dashboard-pages";
import { requireUser } from "@/lib/auth/guard";
import type { SearchParams } from "@/lib/table/url-state";

export const metadata: Metadata = { title: "PnL by symbol · FIFO Allocations" };

const COLUMNS: ColumnSpec[] = [
  { id: "symbol", header: "Symbol", kind: "link", href: "/compare?symbol={symbol}", sortKey: "symbol" },
  { id: "realizedPnlUsd", header: "New PnL (USD)", kind: "money", sortKey: "realized_pnl_usd" },
  { id: "oldPnlUsd", header: "Old PnL (USD)", kind: "money", sortKey: "old_pnl_usd" },
  { id: "pnlDifferenceUsd", header: "New − old (USD)", kind: "money", sortKey: "pnl_difference_usd" },
  { id: "allocations", header: "Allocations", kind: "number", sortKey: "allocations" },
  { id: "sellsMatched", header: "Sells matched", kind: "number" },
  { id: "sellsUnmatched", header: "Sells unmatched", kind: "number" },
  { id: "costBasisUsd", header: "Cost basis (USD)", kind: "usd" },
  { id: "proceedsUsd", header: "Proceeds (USD)", kind: "usd" },
  { id: "feesUsd", header: "Fees (USD)", kind: "usd", sortKey: "fees_usd" },
  { id: "unmatchedNotionalUsd", header: "Unmatched notional (USD)", kind: "usd", sortKey: "unmatched_notional_usd" },
  { id: "openSize", header: "Open size", kind: "size" },
];

export default async function PnlPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireUser("viewer");
  const db = await getDb();
  const { context, state, page, totals } = await pnlPageData(db, await searchParams);
  return (
    <main className="page page-wide">
      <TablePageHeader
        title="PnL by symbol"
        description={
          <>
            Realized PnL per symbol: this version (FIFO) against the old system&apos;s stored pnl_usd. Sorted by the size of the
            change; open a symbol to <Link href={`/compare?version=${context.version}`}>compare</Link> it over time.
          </>
        }
        context={context}
      />
      <div className="cards" style={{ marginBottom: 16 }}>
        <div className="card stat">
          <span className="stat-label">New PnL (USD)</span>
          <span className="stat-value" data-testid="total-new-pnl"><Money value={totals.realizedPnlUsd} /></span>
        </div>
        <div className="card stat">
          <span className="stat-label">Old PnL (USD)</span>
          <span className="stat-value"><Money value={totals.oldPnlUsd} /></span>
        </div>
        <div className="card stat">
          <span className="stat-label">Difference (USD)</span>
          <span className="stat-value"><Money value={totals.pnlDifferenceUsd} /></span>
        </div>
        <div className="card stat">
          <span className="stat-label">Fees (USD)</span>
          <span className="stat-value"><Money value={totals.feesUsd} signed={false} /></span>
        </div>
      </div>
      <DataTable
        testId="pnl-table"
        {...pagedTableProps({ context, state, page })}
        rowKey="symbol"
        columns={COLUMNS}
        pageSizes={[25, 50, 100, 200]}
        filters={[versionFilter(context.versions, context.currentVersion), symbolFilter(context.symbols)]}
        exportHref="/export/pnl"
        exportParams={{ version: String(context.version) }}
        emptyMessage="No allocations computed for this version yet."
      />
    </main>
  );
}
