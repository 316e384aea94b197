// Filter specs most dashboard tables share (version, symbol, UTC date range).
import type { VersionContext } from "@/db/queries/dashboard-pages";
import type { VersionOption } from "@/db/queries/versions";
import type { FilterSpec } from "./filter-bar";

export function versionFilter(versions: VersionOption[], current: number): FilterSpec {
  return {
    id: "version",
    label: "Version",
    type: "select",
    allLabel: `Current (v${current})`,
    options: versions.map((v) => ({ value: String(v.version), label: `v${v.version}${v.isCurrent ? " (current)" : ""}` })),
  };
}

export function symbolFilter(symbols: string[]): FilterSpec {
  return { id: "symbol", label: "Symbol", type: "select", allLabel: "All symbols", options: symbols.map((s) => ({ value: s, label: s })) };
}

export function dateFilters(): FilterSpec[] {
  return [
    { id: "from", label: "From (UTC day)", type: "date" },
    { id: "to", label: "To (UTC day)", type: "date" },
  ];
}

/** Version, symbol and the UTC date range: the filters of every table over one version's results. */
export function versionedFilters(context: VersionContext): FilterSpec[] {
  return [versionFilter(context.versions, context.currentVersion), symbolFilter(context.symbols), ...dateFilters()];
}

export function optionsOf(values: readonly string[]): { value: string; label: string }[] {
  return values.map((v) => ({ value: v, label: v.replace(/_/g, " ") }));
}
