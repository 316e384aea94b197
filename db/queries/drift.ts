// Drift during parallel operation: old pnl_usd (trade_records) vs a version's PnL per UTC day over
// the validation period, the days they disagree, and by what cause (v_pnl_drift_sells). Every read
// filters on sell_time, so only the period's sells are looked at.
import type { SqlClient } from "../sql-client";
import { getFollow } from "./follow";

export interface ValidationPeriod {
  from: string;
  to: string;
  /** "set": chosen for this version; "default": the last 30 days that have trades. */
  source: "set" | "default";
}

export const DEFAULT_PERIOD_DAYS = 30;

/** The version's validation period, or the last 30 UTC days up to the newest trade. */
export async function validationPeriod(db: SqlClient, version: number): Promise<ValidationPeriod> {
  const follow = await getFollow(db, version);
  const [latest] = await db.query<{ day: string }>(
    "SELECT coalesce((max(order_time) AT TIME ZONE 'UTC')::date, (now() AT TIME ZONE 'UTC')::date)::text AS day FROM trade_records",
  );
  const to = follow?.validation_to ?? latest!.day;
  const from = follow?.validation_from ?? shiftDays(to, -(DEFAULT_PERIOD_DAYS - 1));
  return { from, to, source: follow?.validation_from || follow?.validation_to ? "set" : "default" };
}

function shiftDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

// The period's sells of one version: $1 version, $2 first day, $3 last day (UTC, inclusive).
const PERIOD = `allocation_version = $1 AND sell_time >= ($2::date)::timestamp AT TIME ZONE 'UTC'
  AND sell_time < ($3::date + 1)::timestamp AT TIME ZONE 'UTC'`;

export interface DriftDay {
  day: string;
  sells: number;
  old_pnl_usd: string;
  new_pnl_usd: string;
  difference_usd: string;
  differing_sells: number;
}

/** Old vs new realized PnL per day of the period (days with sells only). */
export async function driftDays(db: SqlClient, version: number, period: { from: string; to: string }): Promise<DriftDay[]> {
  return db.query<DriftDay>(
    `SELECT day::text AS day, count(*)::int AS sells, sum(coalesce(old_pnl_usd, 0)) AS old_pnl_usd,
       sum(new_pnl_usd) AS new_pnl_usd, sum(difference_usd) AS difference_usd,
       (count(*) FILTER (WHERE differs))::int AS differing_sells
     FROM v_pnl_drift_sells WHERE ${PERIOD} GROUP BY day ORDER BY day`,
    [version, period.from, period.to],
  );
}

export interface DriftCauseDay {
  day: string;
  cause: string;
  sells: number;
  difference_usd: string;
}

/** For the days that disagree: the differing sells per cause and their summed difference. */
export async function driftByCause(db: SqlClient, version: number, period: { from: string; to: string }): Promise<DriftCauseDay[]> {
  return db.query<DriftCauseDay>(
    `SELECT day::text AS day, coalesce(cause, 'unexplained') AS cause, count(*)::int AS sells, sum(difference_usd) AS difference_usd
     FROM v_pnl_drift_sells WHERE ${PERIOD} AND differs GROUP BY day, cause ORDER BY day, cause`,
    [version, period.from, period.to],
  );
}

export interface DriftSummary {
  sells: number;
  differingSells: number;
  differingDays: number;
  /** Differing sells whose review item (pnl_discrepancy, unmatched_sell) is open, or with no cause that no person has closed. */
  unexplainedSells: number;
  unexplainedExamples: number[];
}

export async function driftSummary(db: SqlClient, version: number, period: { from: string; to: string }): Promise<DriftSummary> {
  const [row] = await db.query<{ sells: number; differing: number; days: number; unexplained: number; examples: number[] | null }>(
    `WITH d AS (
       SELECT s.sell_trade_id, s.day, s.differs,
         s.differs AND (
           EXISTS (
             SELECT 1 FROM manual_review_queue q
             WHERE q.allocation_version = s.allocation_version AND q.trade_id = s.sell_trade_id
               AND q.issue_type IN ('pnl_discrepancy', 'unmatched_sell') AND q.status IN ('pending', 'in_review'))
           -- an unexplained cause is explained once a person closed its item
           OR ((s.cause IS NULL OR s.cause = 'unexplained') AND NOT EXISTS (
             SELECT 1 FROM manual_review_queue q
             WHERE q.allocation_version = s.allocation_version AND q.trade_id = s.sell_trade_id
               AND q.issue_type = 'pnl_discrepancy' AND q.status IN ('resolved', 'dismissed')))
         ) AS unexplained
       FROM v_pnl_drift_sells s WHERE ${PERIOD}
     )
     SELECT count(*)::int AS sells, (count(*) FILTER (WHERE differs))::int AS differing,
       (count(DISTINCT day) FILTER (WHERE differs))::int AS days,
       (count(*) FILTER (WHERE unexplained))::int AS unexplained,
       (array_agg(sell_trade_id ORDER BY sell_trade_id) FILTER (WHERE unexplained))[1:5] AS examples
     FROM d`,
    [version, period.from, period.to],
  );
  return {
    sells: row!.sells,
    differingSells: row!.differing,
    differingDays: row!.days,
    unexplainedSells: row!.unexplained,
    unexplainedExamples: (row!.examples ?? []).map(Number),
  };
}

export const DRIFT_SELL_COLUMNS = [
  "day", "symbol", "sell_trade_id", "sell_time", "old_parent_id", "old_pnl_usd", "new_pnl_usd", "difference_usd", "new_lots",
  "unmatched_size", "cause",
] as const;

/**
 * The period's differing sells for CSV, in (sell_time, sell_trade_id) order, read in keyset chunks:
 * no connection or cursor is held while the client reads.
 */
export async function* differingSells(
  db: SqlClient,
  version: number,
  period: { from: string; to: string },
  chunk = 1000,
): AsyncIterable<(string | number | null)[]> {
  let after: { time: string; id: number } | null = null;
  for (;;) {
    const rows: Record<string, string | number | null>[] = await db.query(
      `SELECT day::text AS day, symbol, sell_trade_id, sell_time, old_parent_id, old_pnl_usd, new_pnl_usd, difference_usd,
         new_lots, unmatched_size, coalesce(cause, 'unexplained') AS cause
       FROM v_pnl_drift_sells WHERE ${PERIOD} AND differs
         AND ($4::timestamptz IS NULL OR (sell_time, sell_trade_id) > ($4::timestamptz, $5::bigint))
       ORDER BY sell_time, sell_trade_id LIMIT $6`,
      [version, period.from, period.to, after?.time ?? null, after?.id ?? null, chunk],
    );
    for (const row of rows) yield DRIFT_SELL_COLUMNS.map((c) => row[c] ?? null);
    if (rows.length < chunk) return;
    const last = rows[rows.length - 1]!;
    after = { time: String(last.sell_time), id: Number(last.sell_trade_id) };
  }
}
