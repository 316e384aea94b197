import type { AllocationRow, TradeInput } from "@/lib/fifo";

export const SYMBOL = "BTC-USD";

/** Trade n happens at minute n of 2025-01-01 unless a test says otherwise. */
export function minute(n: number): string {
  const hh = String(Math.floor(n / 60)).padStart(2, "0");
  const mm = String(n % 60).padStart(2, "0");
  return `2025-01-01 ${hh}:${mm}:00+00`;
}

type Extra = Partial<Omit<TradeInput, "id" | "side" | "size" | "price">>;

export function buy(id: number, size: string, price: string, feeUsd: string | null = "0", extra: Extra = {}): TradeInput {
  return { id, symbol: SYMBOL, side: "buy", size, price, feeUsd, orderTime: minute(id), status: "filled", ...extra };
}

export function sell(id: number, size: string, price: string, feeUsd: string | null = "0", extra: Extra = {}): TradeInput {
  return { ...buy(id, size, price, feeUsd, extra), side: "sell" };
}

/** An allocation as one readable line: [sell, buy, size, buy fee, sell fee, pnl]. */
export type AllocationLine = [number, number, string, string, string, string];

export function lines(allocations: AllocationRow[]): AllocationLine[] {
  return allocations.map((a) => [a.sellTradeId, a.buyTradeId, a.allocatedSize, a.buyFeeUsd, a.sellFeeUsd, a.pnlUsd]);
}
