import type { LotBook } from "./book";
import { orderKeyOf } from "./order-key";
import type { OpenLot } from "./types";

/** A book's open lots at the end of a UTC month (the latest month's is provisional until it ends). */
export interface MonthEndLots {
  /** The month's last day, "YYYY-MM-DD" (UTC). */
  monthEnd: string;
  openLots: OpenLot[];
  openSize: string;
}

const MONTH = /^\d{4}-\d{2}$/;

/** "YYYY-MM" of a trade time in UTC, or null for a time we cannot read. */
export function utcMonthOf(orderTime: string): string | null {
  // PostgreSQL's UTC text needs no conversion; other offsets can move a trade across a month.
  const month = orderTime.endsWith("+00") ? orderTime.slice(0, 7) : (orderKeyOf(orderTime, 0)?.utcTime.slice(0, 7) ?? null);
  return month !== null && MONTH.test(month) ? month : null;
}

/** The last day of a "YYYY-MM" month. */
export function monthEndOf(month: string): string {
  const [year, monthNumber] = month.split("-").map(Number) as [number, number];
  const lastDay = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
  return `${month}-${String(lastDay).padStart(2, "0")}`;
}

/**
 * Watches one symbol's trades go through a book and keeps its open lots each time a UTC month
 * ends, so the inventory at any month end can be shown later without replaying history.
 */
export class MonthEndRecorder {
  private month: string | null;
  readonly ended: MonthEndLots[] = [];

  /** resumeAfter: the time of the last trade an earlier run applied to the book. */
  constructor(resumeAfter: string | null = null) {
    this.month = resumeAfter === null ? null : utcMonthOf(resumeAfter);
  }

  /** Call before applying a trade: if it opens a new month, the book holds the previous month's end. */
  beforeTrade(orderTime: string, book: LotBook): void {
    const month = utcMonthOf(orderTime);
    if (month === null || month === this.month) return;
    if (this.month !== null) this.ended.push(this.snapshot(this.month, book));
    this.month = month;
  }

  /** Every month end seen, plus the lots after the last trade as its month's (provisional) end. */
  finish(book: LotBook): MonthEndLots[] {
    return this.month === null ? this.ended : [...this.ended, this.snapshot(this.month, book)];
  }

  private snapshot(month: string, book: LotBook): MonthEndLots {
    return { monthEnd: monthEndOf(month), openLots: book.openLots(), openSize: book.openSize() };
  }
}
