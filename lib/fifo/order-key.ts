/**
 * Ordering of trades by (order_time, id). Times are PostgreSQL timestamptz text
 * ("2025-01-02 03:04:05.123456+00"); ISO forms ("...T...Z", "+05:30") are accepted too.
 * Raw string comparison is not enough (fractions vary in length, offsets may differ), so each
 * time becomes a sortable UTC key "YYYY-MM-DD HH:MM:SS.fffffffff".
 */
export interface OrderKey {
  utcTime: string;
  tradeId: number;
}

const PG_TIMESTAMP =
  /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?)?$/;

/** The key of a trade, or null when orderTime is not a timestamp we can read. */
export function orderKeyOf(orderTime: string, tradeId: number): OrderKey | null {
  const utcTime = sortableUtcTime(orderTime);
  return utcTime === null ? null : { utcTime, tradeId };
}

/** Negative when a comes first, positive when b comes first, 0 for the same position. */
export function compareOrderKeys(a: OrderKey, b: OrderKey): number {
  if (a.utcTime !== b.utcTime) return a.utcTime < b.utcTime ? -1 : 1;
  return a.tradeId - b.tradeId;
}

function sortableUtcTime(orderTime: string): string | null {
  // PostgreSQL's infinite timestamps: "" sorts before and "~" after every digit.
  if (orderTime === "-infinity") return "";
  if (orderTime === "infinity") return "~";
  const m = PG_TIMESTAMP.exec(orderTime);
  if (!m) return null;
  const [, date, time, fraction = "", sign, offsetHours = "00", offsetMinutes = "00", offsetSeconds = "00"] = m;
  const nanos = fraction.padEnd(9, "0");
  if (sign === undefined || (offsetHours === "00" && offsetMinutes === "00" && offsetSeconds === "00")) {
    return `${date} ${time}.${nanos}`;
  }
  // Offsets are whole seconds, so shifting the second-resolution part keeps the fraction exact.
  const offsetMs = (Number(offsetHours) * 3600 + Number(offsetMinutes) * 60 + Number(offsetSeconds)) * 1000;
  const localMs = Date.parse(`${date}T${time}Z`);
  if (Number.isNaN(localMs)) return null;
  const utc = new Date(sign === "-" ? localMs + offsetMs : localMs - offsetMs).toISOString();
  return `${utc.slice(0, 10)} ${utc.slice(11, 19)}.${nanos}`;
}
