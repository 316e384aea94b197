// Writes a run's results: allocations and unmatched sells by COPY, inventory snapshots, after
// clearing the previous results of the same version and symbols (all inside the run's transaction).
import type { AllocationRow, UnmatchedSell } from "@/lib/fifo";
import { type CopyRow, escapeCopyText, type SqlClient } from "../sql-client";

export const ALLOCATION_COLUMNS = [
  "allocation_version", "symbol", "sell_trade_id", "buy_trade_id", "allocated_size", "buy_price",
  "sell_price", "buy_fee_usd", "sell_fee_usd", "pnl_usd", "buy_time", "sell_time", "computation_id",
] as const;

/** What the engine produces is what we store (plus version and run id). */
export type AllocationOut = AllocationRow;

export function allocationCopyRow(version: number, runId: number, a: AllocationOut): CopyRow {
  return [
    version, a.symbol, a.sellTradeId, a.buyTradeId, a.allocatedSize, a.buyPrice, a.sellPrice,
    a.buyFeeUsd, a.sellFeeUsd, a.pnlUsd, a.buyTime, a.sellTime, runId,
  ];
}

/**
 * encodeCopyRow(allocationCopyRow(...)) without the array and the per-field escape checks: sizes,
 * prices, fees and PnL are the engine's decimal strings (digits, point, sign) and the ids numbers.
 */
export function allocationCopyLine(version: number, runId: number, a: AllocationOut): string {
  return `${version}\t${escapeCopyText(a.symbol)}\t${a.sellTradeId}\t${a.buyTradeId}\t${a.allocatedSize}\t${a.buyPrice}\t${a.sellPrice}\t${a.buyFeeUsd}\t${a.sellFeeUsd}\t${a.pnlUsd}\t${escapeCopyText(a.buyTime)}\t${escapeCopyText(a.sellTime)}\t${runId}\n`;
}

/** `keepAllocations`: a full run that swaps in a whole new partition leaves the old one to the swap. */
export async function clearResults(tx: SqlClient, version: number, symbols: string[], keepAllocations = false): Promise<void> {
  const tables = ["fifo_unmatched_sells", "fifo_inventory_snapshot"];
  if (!keepAllocations) tables.unshift("fifo_allocations");
  for (const table of tables) {
    await tx.query(`DELETE FROM ${table} WHERE allocation_version = $1 AND symbol = ANY ($2::text[])`, [version, symbols]);
  }
}

export async function writeAllocations(
  tx: SqlClient,
  version: number,
  runId: number,
  allocations: AsyncIterable<AllocationOut>,
  table = "fifo_allocations",
): Promise<number> {
  async function* rows() {
    for await (const a of allocations) yield allocationCopyRow(version, runId, a);
  }
  return tx.copyIn(table, ALLOCATION_COLUMNS, rows());
}

export type UnmatchedOut = UnmatchedSell;

export async function writeUnmatchedSells(tx: SqlClient, version: number, runId: number, rows: UnmatchedOut[]) {
  return tx.copyIn(
    "fifo_unmatched_sells",
    ["allocation_version", "symbol", "sell_trade_id", "sell_size", "matched_size", "unmatched_size", "sell_price", "sell_time", "computation_id"],
    rows.map((u) => [version, u.symbol, u.sellTradeId, u.sellSize, u.matchedSize, u.unmatchedSize, u.sellPrice, u.sellTime, runId]),
  );
}

export interface SnapshotOut {
  symbol: string;
  lastTradeId: number | null;
  lastOrderTime: string | null;
  tradesProcessed: number;
  openLots: unknown[];
  openSize: string;
}

export async function writeSnapshots(tx: SqlClient, version: number, runId: number, snapshots: SnapshotOut[]) {
  return tx.copyIn(
    "fifo_inventory_snapshot",
    ["allocation_version", "symbol", "computation_id", "last_trade_id", "last_order_time", "trades_processed", "open_lots", "open_size"],
    snapshots.map((s) => [
      version, s.symbol, runId, s.lastTradeId, s.lastOrderTime, s.tradesProcessed, JSON.stringify(s.openLots), s.openSize,
    ]),
  );
}
