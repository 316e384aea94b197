// Thresholds from fifo_settings (editable in SQL), with the spec's defaults when a key is missing.
import type { SqlClient } from "../sql-client";

export interface ComputeSettings {
  severity: { lowBelow: string; mediumBelow: string; highBelow: string };
  pnlDiscrepancyThresholdUsd: string;
  /** A difference with an explained cause opens its own review item only above this (USD). */
  pnlDiscrepancyItemAboveUsd: string;
  dustNotionalUsd: string;
}

export const DEFAULT_SETTINGS: ComputeSettings = {
  severity: { lowBelow: "10", mediumBelow: "1000", highBelow: "10000" },
  pnlDiscrepancyThresholdUsd: "0.01",
  pnlDiscrepancyItemAboveUsd: "1000",
  dustNotionalUsd: "1",
};

export async function readComputeSettings(db: SqlClient): Promise<ComputeSettings> {
  const rows = await db.query<{ key: string; value: string }>("SELECT key, value FROM fifo_settings");
  const value = new Map(rows.map((r) => [r.key, r.value.trim()]));
  const d = DEFAULT_SETTINGS;
  return {
    severity: {
      lowBelow: value.get("severity_low_below_usd") ?? d.severity.lowBelow,
      mediumBelow: value.get("severity_medium_below_usd") ?? d.severity.mediumBelow,
      highBelow: value.get("severity_high_below_usd") ?? d.severity.highBelow,
    },
    pnlDiscrepancyThresholdUsd: value.get("pnl_discrepancy_threshold_usd") ?? d.pnlDiscrepancyThresholdUsd,
    pnlDiscrepancyItemAboveUsd: value.get("pnl_discrepancy_item_above_usd") ?? d.pnlDiscrepancyItemAboveUsd,
    dustNotionalUsd: value.get("dust_notional_usd") ?? d.dustNotionalUsd,
  };
}
