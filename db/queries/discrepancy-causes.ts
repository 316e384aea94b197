// The Discrepancies page's cause summary: per cause, how many sells differ, by how much in total,
// the largest difference, a few example sells, and whether a reviewer accepted the cause.
// Read from fifo_cause_totals (a handful of rows per symbol, with the run's examples).
import { EXAMPLES_PER_CAUSE } from "@/lib/compute/cause-totals";
import type { SqlClient } from "../sql-client";

export interface CauseExample {
  tradeId: number;
  symbol: string;
  differenceUsd: string;
}

export interface CauseSummaryRow {
  cause: string;
  sells: number;
  totalDifferenceUsd: string;
  largestAbsDifferenceUsd: string;
  examples: CauseExample[];
  /** The active acceptance of this cause for the version, if any. */
  accepted: { decisionId: number; by: string; at: string; reason: string } | null;
  /** Open pnl_discrepancy items of this cause (what accepting would settle). */
  openItems: number;
}


export async function causeSummary(db: SqlClient, version: number, symbol?: string): Promise<CauseSummaryRow[]> {
  const totals = await db.query<{ cause: string; sells: number; total: string; largest: string }>(
    `SELECT cause, sum(sells)::bigint AS sells, sum(total_difference_usd)::text AS total,
       max(largest_abs_difference_usd)::text AS largest
     FROM fifo_cause_totals WHERE allocation_version = $1 AND ($2::text IS NULL OR symbol = $2)
     GROUP BY cause ORDER BY sum(sells) DESC, cause`,
    [version, symbol ?? null],
  );
  if (totals.length === 0) return [];
  const [examples, decisions, open] = await Promise.all([
    db.query<{ cause: string; trade_id: number; symbol: string; difference_usd: string }>(
      // The largest few of each (symbol, cause), kept by the run, then the largest few of each cause.
      `SELECT cause, trade_id, symbol, difference_usd FROM (
         SELECT t.cause, (e.v->>'tradeId')::bigint AS trade_id, t.symbol, e.v->>'differenceUsd' AS difference_usd,
           row_number() OVER (PARTITION BY t.cause
             ORDER BY abs((e.v->>'differenceUsd')::numeric) DESC, (e.v->>'tradeId')::bigint) AS n
         FROM fifo_cause_totals t CROSS JOIN LATERAL jsonb_array_elements(t.examples) AS e(v)
         WHERE t.allocation_version = $1 AND ($2::text IS NULL OR t.symbol = $2)
       ) x WHERE n <= ${EXAMPLES_PER_CAUSE} ORDER BY cause, n`,
      [version, symbol ?? null],
    ),
    db.query<{ id: number; cause: string; decided_by_label: string; decided_at: string; reason: string }>(
      `SELECT id, cause, decided_by_label, decided_at, reason FROM fifo_cause_decisions
       WHERE allocation_version = $1 AND undone_at IS NULL`,
      [version],
    ),
    db.query<{ cause: string; n: number }>(
      `SELECT q.details->>'cause' AS cause, count(*)::int AS n FROM manual_review_queue q
       WHERE q.allocation_version = $1 AND q.issue_type = 'pnl_discrepancy' AND q.status IN ('pending', 'in_review')
         AND ($2::text IS NULL OR q.symbol = $2)
       GROUP BY 1`,
      [version, symbol ?? null],
    ),
  ]);
  return totals.map((t) => {
    const decision = decisions.find((d) => d.cause === t.cause);
    return {
      cause: t.cause,
      sells: Number(t.sells),
      totalDifferenceUsd: t.total,
      largestAbsDifferenceUsd: t.largest,
      examples: examples
        .filter((e) => e.cause === t.cause)
        .map((e) => ({ tradeId: e.trade_id, symbol: e.symbol, differenceUsd: e.difference_usd })),
      accepted: decision
        ? { decisionId: decision.id, by: decision.decided_by_label, at: decision.decided_at, reason: decision.reason }
        : null,
      openItems: open.find((o) => o.cause === t.cause)?.n ?? 0,
    };
  });
}

/** The cause of one sell's difference in a version (the trade page), or null when it does not differ. */
export async function causeOfSell(
  db: SqlClient,
  version: number,
  tradeId: number,
): Promise<{ cause: string; differenceUsd: string; oldParentId: number | null } | null> {
  const [row] = await db.query<{ cause: string; difference_usd: string; old_parent_id: number | null }>(
    `SELECT cause, difference_usd::text AS difference_usd, old_parent_id FROM fifo_pnl_differences
     WHERE allocation_version = $1 AND sell_trade_id = $2`,
    [version, tradeId],
  );
  return row ? { cause: row.cause, differenceUsd: row.difference_usd, oldParentId: row.old_parent_id } : null;
}
