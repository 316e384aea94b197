// A run's differing sells (fifo_pnl_differences) and their totals per symbol and cause
// (fifo_cause_totals), for the symbols the run re-examined.
// A full run of every symbol swaps in a fresh partition of the version's differences (no DELETE,
// no row-by-row index maintenance); other runs replace their symbols' rows through the parent
// (incremental runs: those after each resumed symbol's point), in the default partition until a
// full run gives the version its own. Totals come from the run's memory: replaced for
// symbols recomputed from their first trade, added to the stored ones for resumed symbols, and
// recounted in SQL only for a resumed symbol whose stored differences the run replaced.
import { EXAMPLES_PER_CAUSE as EXAMPLES, type CauseTotal } from "@/lib/compute/cause-totals";
import { type PnlDifference, PnlDifferenceLog } from "@/lib/compute/review-candidates";
import type { SqlClient } from "../sql-client";
import { replaceVersionRows } from "./version-partitions";

const DIFFERENCE_COLUMNS = [
  "allocation_version", "sell_trade_id", "symbol", "sell_time", "old_parent_id", "old_pnl_usd", "new_pnl_usd",
  "difference_usd", "cause", "computation_id",
] as const;

export async function acceptedCauses(tx: SqlClient, version: number): Promise<Set<string>> {
  const rows = await tx.query<{ cause: string }>(
    "SELECT cause FROM fifo_cause_decisions WHERE allocation_version = $1 AND undone_at IS NULL",
    [version],
  );
  return new Set(rows.map((r) => r.cause));
}

export interface StoreDifferences {
  runId: number;
  version: number;
  symbols: string[];
  differences: Iterable<PnlDifference>;
  totals: readonly CauseTotal[];
  /** A full run of every symbol: the version's differences are exactly `differences`. */
  swap: boolean;
  /** Incremental runs: symbols resumed from their snapshot (temp table review_preserved holds their points). */
  resumed: ReadonlySet<string>;
}

export async function storeDifferences(tx: SqlClient, s: StoreDifferences): Promise<void> {
  const rows = function* () {
    for (const d of s.differences) {
      yield [s.version, d.id, d.symbol, d.orderTime, d.oldParentId, d.oldPnlUsd, d.newPnlUsd, d.differenceUsd, d.cause, s.runId];
    }
  };
  // A run's log holds its rows as COPY text already.
  const copy = (table: string) =>
    s.differences instanceof PnlDifferenceLog
      ? tx.copyInText(table, DIFFERENCE_COLUMNS, s.differences.copyLines(s.version, s.runId))
      : tx.copyIn(table, DIFFERENCE_COLUMNS, rows());
  let replaced: string[] = [];
  if (s.swap) {
    await replaceVersionRows(tx, "fifo_pnl_differences", s.version, s.runId, async (table) => {
      await copy(table);
      return 0;
    });
  } else {
    const deleted = await tx.query<{ symbol: string }>(
      `WITH gone AS (
         DELETE FROM fifo_pnl_differences d WHERE d.allocation_version = $1 AND d.symbol = ANY ($2::text[])
           AND NOT EXISTS (SELECT 1 FROM review_preserved p WHERE p.symbol = d.symbol
             AND (d.sell_time, d.sell_trade_id) <= (p.last_order_time, p.last_trade_id))
         RETURNING d.symbol
       ) SELECT DISTINCT symbol FROM gone`,
      [s.version, s.symbols],
    );
    replaced = deleted.map((r) => r.symbol).filter((symbol) => s.resumed.has(symbol));
    await copy("fifo_pnl_differences");
  }
  await writeCauseTotals(tx, s, replaced);
}

async function writeCauseTotals(tx: SqlClient, s: StoreDifferences, recount: string[]): Promise<void> {
  const complete = s.symbols.filter((symbol) => !s.resumed.has(symbol));
  const added = [...s.resumed].filter((symbol) => !recount.includes(symbol));
  await tx.exec(`
    DROP TABLE IF EXISTS pg_temp.review_cause_totals;
    CREATE TEMP TABLE review_cause_totals (
      symbol text, cause text, sells bigint, total_difference_usd numeric, largest_abs_difference_usd numeric, examples jsonb
    ) ON COMMIT DROP;`);
  await tx.copyIn(
    "review_cause_totals",
    ["symbol", "cause", "sells", "total_difference_usd", "largest_abs_difference_usd", "examples"],
    s.totals.map((t) => [t.symbol, t.cause, t.sells, t.totalDifferenceUsd, t.largestAbsDifferenceUsd, JSON.stringify(t.examples)]),
  );
  await tx.query("DELETE FROM fifo_cause_totals WHERE allocation_version = $1 AND symbol = ANY ($2::text[])", [
    s.version,
    [...complete, ...recount],
  ]);
  const columns = "allocation_version, symbol, cause, sells, total_difference_usd, largest_abs_difference_usd, examples";
  await tx.query(
    `INSERT INTO fifo_cause_totals (${columns})
     SELECT $1, symbol, cause, sells, total_difference_usd, largest_abs_difference_usd, examples
     FROM review_cause_totals WHERE symbol = ANY ($2::text[])`,
    [s.version, complete],
  );
  if (added.length > 0) {
    const byAbs = "abs((e.v->>'differenceUsd')::numeric) DESC, (e.v->>'tradeId')::bigint";
    await tx.query(
      `INSERT INTO fifo_cause_totals AS t (${columns})
       SELECT $1, symbol, cause, sells, total_difference_usd, largest_abs_difference_usd, examples
       FROM review_cause_totals WHERE symbol = ANY ($2::text[])
       ON CONFLICT (allocation_version, symbol, cause) DO UPDATE SET
         sells = t.sells + excluded.sells,
         total_difference_usd = t.total_difference_usd + excluded.total_difference_usd,
         largest_abs_difference_usd = greatest(t.largest_abs_difference_usd, excluded.largest_abs_difference_usd),
         examples = (SELECT coalesce(jsonb_agg(x.v ORDER BY abs((x.v->>'differenceUsd')::numeric) DESC, (x.v->>'tradeId')::bigint), '[]')
           FROM (SELECT e.v FROM jsonb_array_elements(t.examples || excluded.examples) AS e(v) ORDER BY ${byAbs} LIMIT $3) x)`,
      [s.version, added, EXAMPLES],
    );
  }
  if (recount.length > 0) {
    await tx.query(
      `INSERT INTO fifo_cause_totals (${columns})
       SELECT $1, symbol, cause, count(*), sum(difference_usd), max(abs(difference_usd)),
         coalesce(jsonb_agg(jsonb_build_object('tradeId', sell_trade_id, 'differenceUsd', difference_usd::text)
           ORDER BY abs(difference_usd) DESC, sell_trade_id) FILTER (WHERE rank <= $3), '[]')
       FROM (
         SELECT d.*, row_number() OVER (PARTITION BY d.symbol, d.cause ORDER BY abs(d.difference_usd) DESC, d.sell_trade_id) AS rank
         FROM fifo_pnl_differences d WHERE d.allocation_version = $1 AND d.symbol = ANY ($2::text[])
       ) x
       GROUP BY symbol, cause`,
      [s.version, recount, EXAMPLES],
    );
  }
}
