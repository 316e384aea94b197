// Old-vs-new PnL comparison: a target version against a baseline, which is the old system
// (trade_records.pnl_usd), the historical snapshot (only the sells it holds), or another version.
// Everything is aggregated in SQL from the read models (dash_*), so charts get at most a few
// hundred points however many trades there are. Money stays decimal text; charts convert it.
import { bucketSql, LARGEST_KEPT } from "../read-models";
import type { SqlClient } from "../sql-client";

export type Baseline = { kind: "old" } | { kind: "snapshot" } | { kind: "version"; version: number };

export function baselineLabel(b: Baseline): string {
  return b.kind === "old" ? "Old system" : b.kind === "snapshot" ? "Snapshot 2025-11-20" : `Version ${b.version}`;
}

/** Parses the `against` URL value: "old" | "snapshot" | "v2" / "2". */
export function parseBaseline(value: string | undefined, target: number): Baseline {
  if (value === "snapshot") return { kind: "snapshot" };
  const m = value?.match(/^v?(\d{1,9})$/);
  if (m) {
    const version = Number(m[1]);
    if (version > 0 && version !== target) return { kind: "version", version };
  }
  return { kind: "old" };
}

export function baselineParam(b: Baseline): string {
  return b.kind === "version" ? `v${b.version}` : b.kind;
}

export interface SymbolComparison {
  symbol: string;
  baselineUsd: string;
  targetUsd: string;
  differenceUsd: string;
}

/** Per-symbol realized PnL, baseline vs target, largest absolute difference first. */
export async function symbolComparison(db: SqlClient, target: number, baseline: Baseline): Promise<SymbolComparison[]> {
  if (baseline.kind === "version") {
    return db.query<SymbolComparison>(
      `SELECT coalesce(t.symbol, b.symbol) AS symbol, coalesce(b.realized_pnl_usd, 0)::text AS "baselineUsd",
         coalesce(t.realized_pnl_usd, 0)::text AS "targetUsd",
         (coalesce(t.realized_pnl_usd, 0) - coalesce(b.realized_pnl_usd, 0))::text AS "differenceUsd"
       FROM (SELECT symbol, realized_pnl_usd FROM dash_symbol_pnl WHERE allocation_version = $1) t
       FULL JOIN (SELECT symbol, realized_pnl_usd FROM dash_symbol_pnl WHERE allocation_version = $2) b ON b.symbol = t.symbol
       ORDER BY abs(coalesce(t.realized_pnl_usd, 0) - coalesce(b.realized_pnl_usd, 0)) DESC, 1`,
      [target, baseline.version],
    );
  }
  const [base, tgt] = baseline.kind === "old" ? ["old_pnl_usd", "realized_pnl_usd"] : ["snapshot_pnl_usd", "snapshot_new_pnl_usd"];
  return db.query<SymbolComparison>(
    `SELECT symbol, ${base}::text AS "baselineUsd", ${tgt}::text AS "targetUsd", (${tgt} - ${base})::text AS "differenceUsd"
     FROM dash_symbol_pnl WHERE allocation_version = $1
     ORDER BY abs(${tgt} - ${base}) DESC, symbol`,
    [target],
  );
}

export type Bucket = "day" | "week" | "month";

export interface CumulativePoint {
  period: string; // YYYY-MM-DD, start of the bucket (UTC)
  baselineUsd: string;
  targetUsd: string;
  cumulativeBaselineUsd: string;
  cumulativeTargetUsd: string;
}

/** Picks a bucket that keeps the line at a few hundred points at most. */
export async function autoBucket(db: SqlClient, version: number): Promise<Bucket> {
  const [row] = await db.query<{ days: number | null }>(
    "SELECT (max(day) - min(day))::int AS days FROM dash_daily_pnl WHERE allocation_version = $1",
    [version],
  );
  const days = row?.days ?? 0;
  return days > 1500 ? "month" : days > 300 ? "week" : "day";
}

/** Realized PnL per period and its running total, baseline vs target. */
export async function cumulativePnl(
  db: SqlClient,
  target: number,
  baseline: Baseline,
  bucket: Bucket,
  symbol?: string,
): Promise<CumulativePoint[]> {
  const rows =
    baseline.kind === "version"
      ? `SELECT day, new_pnl_usd AS t, 0 AS b FROM dash_daily_pnl WHERE allocation_version = $1 AND ($3::text IS NULL OR symbol = $3)
         UNION ALL
         SELECT day, 0, new_pnl_usd FROM dash_daily_pnl WHERE allocation_version = $4 AND ($3::text IS NULL OR symbol = $3)`
      : baseline.kind === "old"
        ? `SELECT day, new_pnl_usd AS t, old_pnl_usd AS b FROM dash_daily_pnl WHERE allocation_version = $1 AND ($3::text IS NULL OR symbol = $3)`
        : `SELECT day, snapshot_new_pnl_usd AS t, snapshot_pnl_usd AS b FROM dash_daily_pnl
           WHERE allocation_version = $1 AND ($3::text IS NULL OR symbol = $3)`;
  const params: unknown[] = [target, bucket, symbol ?? null];
  if (baseline.kind === "version") params.push(baseline.version);
  return db.query<CumulativePoint>(
    `WITH d AS (${rows}),
     g AS (SELECT date_trunc($2::text, day::timestamp)::date AS period, sum(t) AS t, sum(b) AS b FROM d GROUP BY 1)
     SELECT to_char(period, 'YYYY-MM-DD') AS period, b::text AS "baselineUsd", t::text AS "targetUsd",
       (sum(b) OVER w)::text AS "cumulativeBaselineUsd", (sum(t) OVER w)::text AS "cumulativeTargetUsd"
     FROM g WINDOW w AS (ORDER BY period) ORDER BY period`,
    params,
  );
}

export interface HistogramBucket {
  bucket: number; // -8..8, see dash_diff_histogram
  label: string;
  sells: number;
  differenceUsd: string;
}

const EDGES = ["0.01", "0.1", "1", "10", "100", "1k", "10k", "100k"];

export function bucketLabel(bucket: number): string {
  if (bucket === 0) return "±0.01";
  const k = Math.abs(bucket);
  const sign = bucket < 0 ? "−" : "+";
  return k === 8 ? `${sign}${EDGES[7]}+` : `${sign}${EDGES[k - 1]}–${EDGES[k]}`;
}

/** Counts of sells per difference bucket (target minus baseline), all 17 buckets. */
export async function differenceHistogram(
  db: SqlClient,
  target: number,
  baseline: Baseline,
  symbol?: string,
): Promise<HistogramBucket[]> {
  let version = target;
  let base: string = baseline.kind;
  let flip = false;
  if (baseline.kind === "version") {
    version = Math.max(target, baseline.version);
    base = `v${Math.min(target, baseline.version)}`;
    flip = target < baseline.version; // stored as hi - lo
  }
  const rows = await db.query<{ bucket: number; sells: number; diff: string }>(
    `SELECT bucket, sum(sells)::bigint AS sells, sum(difference_usd)::text AS diff FROM dash_diff_histogram
     WHERE allocation_version = $1 AND baseline = $2 AND ($3::text IS NULL OR symbol = $3) GROUP BY bucket`,
    [version, base, symbol ?? null],
  );
  const found = new Map(rows.map((r) => [flip ? -r.bucket : r.bucket, r]));
  const out: HistogramBucket[] = [];
  for (let b = -8; b <= 8; b++) {
    const r = found.get(b);
    const diff = r?.diff ?? "0";
    out.push({ bucket: b, label: bucketLabel(b), sells: r?.sells ?? 0, differenceUsd: flip && diff !== "0" ? negate(diff) : diff });
  }
  return out;
}

function negate(decimal: string): string {
  return decimal.startsWith("-") ? decimal.slice(1) : `-${decimal}`;
}

export interface SellDifference {
  sellTradeId: number;
  symbol: string;
  sellTime: string;
  baselineUsd: string | null;
  targetUsd: string | null;
  differenceUsd: string;
  oldParentId: number | null;
}

/**
 * The sells whose PnL differs most between baseline and target (at most LARGEST_KEPT: the read
 * models keep the top of each version, baseline and symbol).
 */
export async function largestDifferences(
  db: SqlClient,
  target: number,
  baseline: Baseline,
  options: { symbol?: string; limit?: number } = {},
): Promise<SellDifference[]> {
  const limit = Math.min(Math.max(options.limit ?? 25, 1), LARGEST_KEPT);
  let version = target;
  let base: string = baseline.kind;
  let flip = false;
  if (baseline.kind === "version") {
    version = Math.max(target, baseline.version);
    base = `v${Math.min(target, baseline.version)}`;
    flip = target < baseline.version; // stored as hi - lo, baseline = lo
  }
  return db.query<SellDifference>(
    `SELECT d.sell_trade_id AS "sellTradeId", d.symbol, d.sell_time AS "sellTime",
       ${flip ? "d.target_usd" : "d.baseline_usd"} AS "baselineUsd", ${flip ? "d.baseline_usd" : "d.target_usd"} AS "targetUsd",
       (${flip ? "-d.difference_usd" : "d.difference_usd"})::text AS "differenceUsd",
       coalesce(d.old_parent_id, t.parent_id) AS "oldParentId"
     FROM dash_largest_differences d LEFT JOIN trade_records t ON t.id = d.sell_trade_id
     WHERE d.allocation_version = $1 AND d.baseline = $2 AND d.scope = $3 AND d.rank <= $4
     ORDER BY d.rank`,
    [version, base, options.symbol ?? "*", limit],
  );
}

export { bucketSql };
