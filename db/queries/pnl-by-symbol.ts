// PnL by symbol (v_pnl_by_symbol, pre-aggregated per version in dash_symbol_pnl).
import type { SqlClient } from "../sql-client";
import type { TableSource } from "./table-source";

export interface PnlFilters {
  version: number;
  symbol?: string;
}

export interface SymbolPnlRow {
  symbol: string;
  allocations: number;
  sellsMatched: number;
  sellsPartiallyMatched: number;
  sellsUnmatched: number;
  allocatedSize: string;
  costBasisUsd: string;
  proceedsUsd: string;
  feesUsd: string;
  realizedPnlUsd: string;
  oldPnlUsd: string;
  pnlDifferenceUsd: string;
  unmatchedSells: number;
  unmatchedSize: string;
  unmatchedNotionalUsd: string;
  openSize: string;
}

type Sort =
  | "abs_difference" | "pnl_difference_usd" | "realized_pnl_usd" | "old_pnl_usd" | "symbol" | "allocations" | "fees_usd"
  | "unmatched_notional_usd";

export const pnlBySymbolSource: TableSource<PnlFilters, Sort> = {
  from: "FROM dash_symbol_pnl s",
  where(p, f) {
    const out = [`s.allocation_version = ${p.add(f.version)}::int`];
    if (f.symbol) out.push(`s.symbol = ${p.add(f.symbol)}::text`);
    return out;
  },
  sorts: {
    abs_difference: { sql: "abs(s.pnl_difference_usd)", type: "numeric" },
    pnl_difference_usd: { sql: "s.pnl_difference_usd", type: "numeric" },
    realized_pnl_usd: { sql: "s.realized_pnl_usd", type: "numeric" },
    old_pnl_usd: { sql: "s.old_pnl_usd", type: "numeric" },
    symbol: { sql: "s.symbol", type: "text" },
    allocations: { sql: "s.allocations", type: "bigint" },
    fees_usd: { sql: "s.fees_usd", type: "numeric" },
    unmatched_notional_usd: { sql: "s.unmatched_notional_usd", type: "numeric" },
  },
  tieBreak: [{ sql: "s.symbol", type: "text" }],
  pageColumns: `s.symbol, s.allocations, s.sells_matched AS "sellsMatched",
    s.sells_partially_matched AS "sellsPartiallyMatched", s.sells_unmatched AS "sellsUnmatched",
    s.allocated_size AS "allocatedSize", s.cost_basis_usd AS "costBasisUsd", s.proceeds_usd AS "proceedsUsd",
    s.fees_usd AS "feesUsd", s.realized_pnl_usd AS "realizedPnlUsd", s.old_pnl_usd AS "oldPnlUsd",
    s.pnl_difference_usd AS "pnlDifferenceUsd", s.unmatched_sells AS "unmatchedSells", s.unmatched_size AS "unmatchedSize",
    s.unmatched_notional_usd AS "unmatchedNotionalUsd", s.open_size AS "openSize"`,
  csvColumns: [
    ["allocation_version", "s.allocation_version"],
    ["symbol", "s.symbol"],
    ["allocations", "s.allocations"],
    ["sells_matched", "s.sells_matched"],
    ["sells_partially_matched", "s.sells_partially_matched"],
    ["sells_unmatched", "s.sells_unmatched"],
    ["allocated_size", "s.allocated_size"],
    ["cost_basis_usd", "s.cost_basis_usd"],
    ["proceeds_usd", "s.proceeds_usd"],
    ["fees_usd", "s.fees_usd"],
    ["realized_pnl_usd", "s.realized_pnl_usd"],
    ["old_pnl_usd", "s.old_pnl_usd"],
    ["pnl_difference_usd", "s.pnl_difference_usd"],
    ["unmatched_sells", "s.unmatched_sells"],
    ["unmatched_size", "s.unmatched_size"],
    ["unmatched_notional_usd", "s.unmatched_notional_usd"],
    ["open_size", "s.open_size"],
  ],
};

export interface PnlTotals {
  symbols: number;
  realizedPnlUsd: string;
  oldPnlUsd: string;
  pnlDifferenceUsd: string;
  feesUsd: string;
  unmatchedNotionalUsd: string;
}

/** Totals over the version's symbols (exact sums in SQL). */
export async function pnlTotals(db: SqlClient, version: number): Promise<PnlTotals> {
  const [row] = await db.query<PnlTotals>(
    `SELECT count(*)::int AS symbols, coalesce(sum(realized_pnl_usd), 0)::text AS "realizedPnlUsd",
       coalesce(sum(old_pnl_usd), 0)::text AS "oldPnlUsd", coalesce(sum(pnl_difference_usd), 0)::text AS "pnlDifferenceUsd",
       coalesce(sum(fees_usd), 0)::text AS "feesUsd", coalesce(sum(unmatched_notional_usd), 0)::text AS "unmatchedNotionalUsd"
     FROM dash_symbol_pnl WHERE allocation_version = $1`,
    [version],
  );
  return row!;
}

/** The symbols a version covers (for filter dropdowns). */
export async function versionSymbols(db: SqlClient, version: number): Promise<string[]> {
  const rows = await db.query<{ symbol: string }>(
    "SELECT symbol FROM fifo_inventory_snapshot WHERE allocation_version = $1 ORDER BY symbol",
    [version],
  );
  return rows.map((r) => r.symbol);
}
