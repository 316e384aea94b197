// Display helpers for the runs pages (display only: counts and durations, never money).
import type { RunStatus } from "@/db/queries/runs";

const countFormat = new Intl.NumberFormat("en-US");

export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? "–" : countFormat.format(value);
}

/** 950 ms, 12.3 s, 4 min 05 s, 2 h 03 min */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "–";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(Math.floor(seconds % 60)).padStart(2, "0")} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

export function formatSeconds(seconds: number | null | undefined): string {
  return seconds === null || seconds === undefined ? "unknown" : formatDuration(seconds * 1000);
}

/** PostgreSQL UTC text (2025-01-02 03:04:05.123+00) -> "2025-01-02 03:04:05 UTC". */
export function formatTimestamp(value: string | null | undefined): string {
  if (!value) return "–";
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})/.exec(value);
  return match ? `${match[1]} ${match[2]} UTC` : value;
}

export function formatSymbols(symbols: string[] | null, max = 3): string {
  if (symbols === null) return "All symbols";
  if (symbols.length <= max) return symbols.join(", ");
  return `${symbols.slice(0, max).join(", ")} +${symbols.length - max} more`;
}

export const STATUS_BADGE: Record<RunStatus, { label: string; badge: string }> = {
  queued: { label: "Queued", badge: "badge-low" },
  running: { label: "Running", badge: "badge-warn" },
  succeeded: { label: "Succeeded", badge: "badge-ok" },
  failed: { label: "Failed", badge: "badge-critical" },
  cancelled: { label: "Cancelled", badge: "badge-medium" },
};

export function isActiveStatus(status: string): boolean {
  return status === "queued" || status === "running";
}
