// What each drift cause means, for people. The causes are the run's own classification of each
// differing sell (lib/compute/discrepancy-causes.ts, stored in fifo_pnl_differences).
import { CAUSE_EXPLANATIONS, DISCREPANCY_CAUSES, type DiscrepancyCause } from "@/lib/compute/discrepancy-causes";

export function driftCauseLabel(cause: string): string {
  const name = cause.replaceAll("_", " ");
  const explanation = CAUSE_EXPLANATIONS[cause as DiscrepancyCause];
  return explanation ? `${name[0]!.toUpperCase()}${name.slice(1)}: ${explanation}` : name;
}

const PALETTE = ["#12805c", "#b54708", "#2e6bd8", "#7a5af8", "#c0362c", "#0e7490", "#a21caf", "#854d0e", "#be123c", "#667085"];

export const DRIFT_CAUSE_COLORS: Record<string, string> = Object.fromEntries(
  DISCREPANCY_CAUSES.map((cause, i) => [cause, PALETTE[i % PALETTE.length]!]),
);
