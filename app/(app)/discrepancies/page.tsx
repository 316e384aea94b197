import type { Metadata } from "next";
import Link from "next/link";
import { optionsOf, versionedFilters } from "@/components/data-table/common-filters";
import { DataTable, type ColumnSpec } from "@/components/data-table";
import { CauseSummary } from "@/components/discrepancies/CauseSummary";
import { TablePageHeader, pagedTableProps } from "@/components/data-table/table-page";
import { getDb } from "@/db/client";
import { discrepanciesPageData } from "@/db/queries/dashboard-pages";
import { requireUser } from "@/lib/auth/guard";
import { roleAtLeast } from "@/lib/auth/roles";
import { DISCREPANCY_CAUSES } from "@/lib/compute/discrepancy-causes";
import { formatCount } from "@/lib/format/decimal";
import { DISCREPANCY_TYPES } from "@/lib/table/tables";
import type { SearchParams } from "@/lib/table/url-state";

export const metadata: Metadata = { title: "Discrepancies · FIFO Allocations" };

const COLUMNS: ColumnSpec[] = [
  { id: "discrepancyType", header: "Type", kind: "badge",
    badgeTone: { pnl_difference: "medium", sell_size_mismatch: "critical", buy_overallocated: "critical", buy_not_before_sell: "critical" } },
  { id: "tradeId", header: "Trade", kind: "trade", sortKey: "trade_id" },
  { id: "symbol", header: "Symbol" },
  { id: "tradeTime", header: "Trade time", kind: "datetime", sortKey: "trade_time" },
  { id: "expected", header: "Expected / old", kind: "size", decimals: 8, title: "Sell size, buy size, or the old pnl_usd" },
  { id: "actual", header: "Actual / new", kind: "size", decimals: 8 },
  { id: "difference", header: "Difference", kind: "money", decimals: 2, sortKey: "abs_difference",
    title: "actual − expected; sorted by its absolute value" },
  { id: "cause", header: "Cause", kind: "badge", title: "Why the old PnL differs (PnL differences only)" },
  { id: "relatedTradeId", header: "Related", kind: "trade" },
  { id: "details", header: "Details", wrap: true },
];

const EXPLAIN: Record<string, string> = {
  pnl_difference: "old pnl_usd differs from the new PnL of the sell",
  sell_size_mismatch: "allocated + unmatched ≠ sell size",
  buy_overallocated: "a buy allocated beyond its size",
  buy_not_before_sell: "a lot that does not come before its sell",
};

export default async function DiscrepanciesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireUser("viewer");
  const db = await getDb();
  const { context, state, page, counts, causes, decisions } = await discrepanciesPageData(db, await searchParams);
  return (
    <main className="page page-wide">
      <TablePageHeader
        title="Discrepancies"
        description="Invariant violations and PnL differences between the old system and this version (v_allocation_discrepancies), with the cause of each difference."
        context={context}
      />
      <CauseSummary
        version={context.version}
        symbol={state.filters.symbol}
        rows={causes}
        decisions={decisions}
        canDecide={roleAtLeast(user.role, "reviewer")}
      />
      <div className="cards" style={{ marginBottom: 16 }}>
        {DISCREPANCY_TYPES.map((type) => (
          <Link key={type} className="card stat" href={`/discrepancies?version=${context.version}&type=${type}`} data-testid={`count-${type}`}>
            <span className="stat-value">{formatCount(counts[type] ?? 0)}</span>
            <span className="stat-label">{type.replace(/_/g, " ")}</span>
            <span className="muted" style={{ fontSize: 12 }}>{EXPLAIN[type]}</span>
          </Link>
        ))}
      </div>
      <DataTable
        testId="discrepancies-table"
        {...pagedTableProps({ context, state, page })}
        rowKey="id"
        columns={COLUMNS}
        filters={[
          ...versionedFilters(context),
          { id: "type", label: "Type", type: "select", options: optionsOf(DISCREPANCY_TYPES) },
          { id: "cause", label: "Cause", type: "select", options: optionsOf(DISCREPANCY_CAUSES) },
        ]}
        exportHref="/export/discrepancies"
        exportParams={{ version: String(context.version) }}
        emptyMessage="No discrepancies for these filters."
      />
    </main>
  );
}
