// Brings manual_review_queue in line with a run's findings for its version and symbols:
// stores every differing sell with its cause (fifo_pnl_differences, totals per cause), opens items
// for new problems (never a duplicate of an open one), refreshes the figures of open ones, reopens
// items a run had auto-closed if the problem came back, settles items whose cause a reviewer
// accepted, and auto-closes open items whose problem is gone, naming the run. Decisions people
// made (resolved/dismissed) stand.
//
// A sell's PnL difference opens its own pnl_discrepancy item only where a person must look (the
// run picks those candidates: lib/compute/review-candidates.ts). Every differing sell stays listed
// in fifo_pnl_differences (db/compute/pnl-differences.ts).
//
// Plans: every statement joins whole sets on equality, and the planner is told not to use nested
// loops while they run, so a table whose statistics say "empty" (a freshly migrated and analyzed
// database, or a table this very transaction filled) can never turn a join into a scan per row.
import type { CauseTotal } from "@/lib/compute/cause-totals";
import type { PnlDifference } from "@/lib/compute/review-candidates";
import type { SqlClient } from "../sql-client";
import { storeDifferences } from "./pnl-differences";

export interface ReviewCandidate {
  tradeId: number;
  symbol: string;
  issueType: "unmatched_sell" | "invalid_trade" | "pnl_discrepancy";
  severity: "low" | "medium" | "high" | "critical";
  reason: string;
  details: Record<string, unknown>;
  unmatchedSize: string | null;
  notionalUsd: string | null;
  oldPnlUsd: string | null;
  newPnlUsd: string | null;
}

export interface ReviewSync {
  runId: number;
  version: number;
  symbols: string[];
  /** Every item the run's findings call for: unmatched sells, unusable trades, the differences a person must look at. */
  candidates: Iterable<ReviewCandidate>;
  /** Incremental runs: items of trades at or before these points were not re-examined; keep them. */
  preservedUpTo?: { symbol: string; lastOrderTime: string; lastTradeId: number }[];
  /** Every sell of the run whose PnL differs, with its cause, and their totals per symbol and cause. */
  differences?: Iterable<PnlDifference>;
  totals?: readonly CauseTotal[];
  /** A full run of every symbol: the version's differences are swapped in whole. */
  swapDifferences?: boolean;
}

const CANDIDATE_COLUMNS = [
  "trade_id", "symbol", "issue_type", "severity", "reason", "details", "unmatched_size", "notional_usd",
  "old_pnl_usd", "new_pnl_usd",
] as const;

export async function syncReviewItems(tx: SqlClient, sync: ReviewSync): Promise<{ opened: number; closed: number }> {
  const { runId, version, symbols, preservedUpTo = [] } = sync;
  await tx.exec(`
    DROP TABLE IF EXISTS pg_temp.review_candidates;
    CREATE TEMP TABLE review_candidates (
      trade_id bigint, symbol text, issue_type text, severity text, reason text, details jsonb,
      unmatched_size numeric, notional_usd numeric, old_pnl_usd numeric, new_pnl_usd numeric,
      PRIMARY KEY (trade_id, issue_type)
    ) ON COMMIT DROP;
    DROP TABLE IF EXISTS pg_temp.review_known;
    DROP TABLE IF EXISTS pg_temp.review_preserved;
    CREATE TEMP TABLE review_preserved (symbol text PRIMARY KEY, last_order_time timestamptz, last_trade_id bigint)
      ON COMMIT DROP;`);
  await tx.copyIn(
    "review_candidates",
    CANDIDATE_COLUMNS,
    (function* () {
      for (const c of sync.candidates) {
        yield [
          c.tradeId, c.symbol, c.issueType, c.severity, c.reason, JSON.stringify(c.details), c.unmatchedSize,
          c.notionalUsd, c.oldPnlUsd, c.newPnlUsd,
        ];
      }
    })(),
  );
  await tx.copyIn(
    "review_preserved",
    ["symbol", "last_order_time", "last_trade_id"],
    preservedUpTo.map((p) => [p.symbol, p.lastOrderTime, p.lastTradeId]),
  );
  await tx.query("SELECT set_config('enable_nestloop', 'off', true)");

  await storeDifferences(tx, {
    runId, version, symbols,
    differences: sync.differences ?? [],
    totals: sync.totals ?? [],
    swap: sync.swapDifferences ?? false,
    resumed: new Set(preservedUpTo.map((p) => p.symbol)),
  });
  // Temp tables have no statistics until analyzed.
  await tx.exec("ANALYZE review_candidates; ANALYZE review_preserved;");
  const label = `run #${runId}`;

  // One pass over the version's items for the candidates' (trade, issue) pairs.
  await tx.query(
    `CREATE TEMP TABLE review_known ON COMMIT DROP AS
     SELECT q.id, q.trade_id, q.issue_type, q.status, q.resolution_type
     FROM manual_review_queue q JOIN review_candidates c ON c.trade_id = q.trade_id AND c.issue_type = q.issue_type
     WHERE q.allocation_version = $1`,
    [version],
  );
  await tx.exec("ANALYZE review_known");

  const [opened] = await tx.query<{ n: number }>(
    `WITH inserted AS (
       INSERT INTO manual_review_queue (allocation_version, trade_id, symbol, issue_type, severity, reason, details,
         unmatched_size, notional_usd, old_pnl_usd, new_pnl_usd, opened_by_computation_id, trade_order_time)
       SELECT $1, c.trade_id, c.symbol, c.issue_type, c.severity, c.reason, c.details, c.unmatched_size,
         c.notional_usd, c.old_pnl_usd, c.new_pnl_usd, $2,
         -- sells' times come from usable trades (the engine read them); an unusable trade's may be garbage
         CASE WHEN c.issue_type <> 'invalid_trade' THEN (c.details->>'sellTime')::timestamptz END
       FROM review_candidates c
       LEFT JOIN review_known k ON k.trade_id = c.trade_id AND k.issue_type = c.issue_type
       WHERE k.id IS NULL
       ON CONFLICT (allocation_version, trade_id, issue_type) WHERE status IN ('pending', 'in_review') DO NOTHING
       RETURNING id
     ), history AS (
       INSERT INTO manual_review_history (item_id, action, from_status, to_status, actor_label, computation_id, notes)
       SELECT id, 'opened', NULL, 'pending', $3, $2, 'Opened by ' || $3 FROM inserted
     ) SELECT count(*)::int AS n FROM inserted`,
    [version, runId, label],
  );

  // The problem came back after a run had closed it automatically: reopen the same item (the
  // newest such one, and only when no item of that trade and issue is open).
  const [reopened] = await tx.query<{ n: number }>(
    `WITH open_pairs AS (
       SELECT DISTINCT trade_id, issue_type FROM review_known WHERE status IN ('pending', 'in_review')
     ), target AS (
       SELECT DISTINCT ON (k.trade_id, k.issue_type) k.id, k.trade_id, k.issue_type
       FROM review_known k LEFT JOIN open_pairs o ON o.trade_id = k.trade_id AND o.issue_type = k.issue_type
       WHERE k.status = 'resolved' AND k.resolution_type = 'auto_resolved' AND o.trade_id IS NULL
       ORDER BY k.trade_id, k.issue_type, k.id DESC
     ), reopened AS (
       UPDATE manual_review_queue q SET status = 'pending', severity = c.severity, reason = c.reason,
         details = c.details, unmatched_size = c.unmatched_size, notional_usd = c.notional_usd,
         old_pnl_usd = c.old_pnl_usd, new_pnl_usd = c.new_pnl_usd, resolution_type = NULL,
         resolution_notes = NULL, resolved_at = NULL, resolved_by = NULL, closed_by_computation_id = NULL,
         row_version = q.row_version + 1, updated_at = now()
       FROM target t JOIN review_candidates c ON c.trade_id = t.trade_id AND c.issue_type = t.issue_type
       WHERE q.id = t.id
       RETURNING q.id
     ), history AS (
       INSERT INTO manual_review_history (item_id, action, from_status, to_status, actor_label, computation_id, notes)
       SELECT id, 'reopened', 'resolved', 'pending', $2, $1, 'The problem is back after ' || $2 FROM reopened
     ) SELECT count(*)::int AS n FROM reopened`,
    [runId, label],
  );

  // Still a problem: keep the open item, refresh its figures.
  await tx.query(
    `UPDATE manual_review_queue q SET severity = c.severity, reason = c.reason, details = c.details,
       unmatched_size = c.unmatched_size, notional_usd = c.notional_usd, old_pnl_usd = c.old_pnl_usd,
       new_pnl_usd = c.new_pnl_usd, updated_at = now()
     FROM review_known k JOIN review_candidates c ON c.trade_id = k.trade_id AND c.issue_type = k.issue_type
     WHERE q.id = k.id AND k.status IN ('pending', 'in_review')
       AND (q.severity, q.reason, q.details) IS DISTINCT FROM (c.severity, c.reason, c.details)`,
  );

  const [accepted] = await tx.query<{ any: boolean }>(
    "SELECT EXISTS (SELECT 1 FROM fifo_cause_decisions WHERE allocation_version = $1 AND undone_at IS NULL) AS any",
    [version],
  );
  const settled = accepted!.any ? await settleAcceptedCauses(tx, runId, version, symbols, label) : 0;
  const closed = await closeSolvedItems(tx, runId, version, symbols, label, preservedUpTo.length > 0);
  await tx.query("SELECT set_config('enable_nestloop', 'on', true)");
  return { opened: opened!.n + reopened!.n, closed: closed + settled };
}

/** Open pnl_discrepancy items of a cause a reviewer accepted: settled by that decision. */
async function settleAcceptedCauses(tx: SqlClient, runId: number, version: number, symbols: string[], label: string) {
  const [row] = await tx.query<{ n: number }>(
    `WITH settled AS (
       UPDATE manual_review_queue q SET status = 'resolved', resolution_type = 'cause_accepted',
         resolution_notes = 'Cause "' || a.cause || '" accepted: ' || a.reason, resolved_at = now(),
         settled_by_decision_id = a.id, closed_by_computation_id = $2, row_version = q.row_version + 1, updated_at = now()
       FROM manual_review_queue old
       JOIN fifo_pnl_differences d ON d.allocation_version = old.allocation_version AND d.sell_trade_id = old.trade_id
       JOIN fifo_cause_decisions a ON a.allocation_version = d.allocation_version AND a.cause = d.cause AND a.undone_at IS NULL
       WHERE q.id = old.id AND old.allocation_version = $1 AND old.symbol = ANY ($3::text[])
         AND old.issue_type = 'pnl_discrepancy' AND old.status IN ('pending', 'in_review')
       RETURNING q.id, old.status AS from_status, a.id AS decision_id, a.cause
     ), history AS (
       INSERT INTO manual_review_history (item_id, action, from_status, to_status, actor_label, computation_id, notes, details)
       SELECT id, 'cause_accepted', from_status, 'resolved', $4, $2, 'Settled by the accepted cause "' || cause || '" (' || $4 || ')',
         jsonb_build_object('decisionId', decision_id, 'cause', cause)
       FROM settled
     ) SELECT count(*)::int AS n FROM settled`,
    [version, runId, symbols, label],
  );
  return row!.n;
}

async function closeSolvedItems(
  tx: SqlClient,
  runId: number,
  version: number,
  symbols: string[],
  label: string,
  incremental: boolean,
): Promise<number> {
  // Incremental runs keep the items of trades before their resume point: those few open items are
  // looked up by trade id, where an index probe per item is the right plan.
  if (incremental) await tx.query("SELECT set_config('enable_nestloop', 'on', true)");
  const [closed] = await tx.query<{ n: number }>(
    `WITH solved AS (
       SELECT q.id, q.status FROM manual_review_queue q
       LEFT JOIN review_candidates c ON c.trade_id = q.trade_id AND c.issue_type = q.issue_type
       WHERE q.allocation_version = $1 AND q.symbol = ANY ($4::text[]) AND q.status IN ('pending', 'in_review')
         AND c.trade_id IS NULL
         ${incremental ? `AND NOT EXISTS (SELECT 1 FROM review_preserved p JOIN trade_records t ON t.id = q.trade_id
           WHERE p.symbol = q.symbol AND (t.order_time, t.id) <= (p.last_order_time, p.last_trade_id))` : ""}
     ), closed AS (
       UPDATE manual_review_queue q SET status = 'resolved', resolution_type = 'auto_resolved',
         resolution_notes = 'Problem gone after ' || $3, resolved_at = now(), closed_by_computation_id = $2,
         row_version = q.row_version + 1, updated_at = now()
       FROM solved s WHERE s.id = q.id
       RETURNING q.id, s.status AS from_status
     ), history AS (
       INSERT INTO manual_review_history (item_id, action, from_status, to_status, actor_label, computation_id, notes)
       SELECT id, 'auto_resolved', from_status, 'resolved', $3, $2, 'Problem gone after ' || $3 FROM closed
     ) SELECT count(*)::int AS n FROM closed`,
    [version, runId, label, symbols],
  );
  if (incremental) await tx.query("SELECT set_config('enable_nestloop', 'off', true)");
  return closed!.n;
}
