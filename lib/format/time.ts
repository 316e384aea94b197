// Timestamps arrive from PostgreSQL as UTC text ("2025-01-02 03:04:05.123+00"). These helpers turn
// that text into an instant and into display strings; the browser's zone is applied by DateTime.

/** Parses PostgreSQL timestamptz text (or ISO text) into a Date; null if unreadable. */
export function parsePgTimestamp(text: string | null | undefined): Date | null {
  if (!text) return null;
  let iso = text.trim().replace(" ", "T");
  // "+00" / "-05" offsets need minutes for Date.parse; "+05:30" is already fine.
  iso = iso.replace(/([+-]\d\d)$/, "$1:00");
  if (!/[zZ]|[+-]\d\d:\d\d$/.test(iso) && /T/.test(iso)) iso += "Z";
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : new Date(ms);
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** "2025-01-02 03:04:05 UTC" (milliseconds when present), for titles and server rendering. */
export function formatUtc(date: Date, withMillis = false): string {
  const base =
    `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return (withMillis && date.getUTCMilliseconds() ? `${base}.${pad(date.getUTCMilliseconds(), 3)}` : base) + " UTC";
}

/** "2025-01-02 04:04:05" in the given IANA zone (the browser's when called from DateTime). */
export function formatInZone(date: Date, timeZone: string, dateOnly = false): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    ...(dateOnly ? {} : { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" as const }),
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const day = `${get("year")}-${get("month")}-${get("day")}`;
  return dateOnly ? day : `${day} ${get("hour")}:${get("minute")}:${get("second")}`;
}
