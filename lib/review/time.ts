// Times on the review pages: PostgreSQL UTC text in, what a person reads (and what a
// <input type="datetime-local"> holds) out. Everything the app shows is UTC.

/** "2025-03-01 12:00:05.123+00" -> Date. */
export function parsePgUtc(text: string): Date {
  const iso = text.replace(" ", "T").replace(/([+-]\d{2})$/, "$1:00");
  return new Date(iso);
}

/** "2025-03-01 12:00:05.123+00" -> "2025-03-01 12:00:05" (UTC). */
export function formatUtcShort(text: string | null | undefined): string {
  if (!text) return "";
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})/.exec(text);
  return m ? `${m[1]} ${m[2]}` : text;
}

/**
 * The time a manual buy gets by default: one second before the sell, so the buy is the newest lot
 * when the sell comes and no earlier sell can take it. As "YYYY-MM-DDTHH:mm:ss" for datetime-local.
 */
export function defaultManualBuyTime(sellTime: string | null): string {
  if (!sellTime) return "";
  const at = parsePgUtc(sellTime);
  if (Number.isNaN(at.getTime())) return "";
  return new Date(Math.floor(at.getTime() / 1000) * 1000 - 1000).toISOString().slice(0, 19);
}
