// Brings manual_review_queue in line with a run's findings for its version and symbols:
// opens items for new problems (never a duplicate of an open one), refreshes the figures of open
// ones, reopens items a run had auto-closed if the problem came back, and auto-closes open items
// whose problem is gone, naming the run. Decisions people made (resolved/dismissed) stand.
import type { SqlClient } from "../sql-client";

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

const CANDIDATE_COLUMNS = [
  "trade_id", "symbol", "issue_type", "severity", "reason", "details", "unmatched_size", "notional_usd",
  "old_pnl_usd", "new_pnl_usd",
] as const;

export async function syncReviewItems(
  tx: SqlClient,
  runId: number,
  version: number,
  symbols: string[],
  candidates: Iterable<ReviewCandidate>,
  /** Incremental runs: items of trades at or before these points were not re-examined; keep them. */
  preservedUpTo: { symbol: string; lastOrderTime: string; lastTradeId: number }[] = [],
): Promise<{ opened: number; closed: number }> {
  await tx.exec(`
    DROP TABLE IF EXISTS pg_temp.review_candidates;
    CREATE TEMP TABLE review_candidates (
      trade_id bigint, symbol text, issue_type text, severity text, reason text, details jsonb,
      unmatched_size numeric, notional_usd numeric, old_pnl_usd numeric, new_pnl_usd numeric,
      PRIMARY KEY (trade_id, issue_type)
    ) ON COMMIT DROP;`);
  await tx.copyIn(
    "review_candidates",
    CANDIDATE_COLUMNS,
    (function* () {
      for (const c of candidates) {
        yield [
          c.tradeId, c.symbol, c.issueType, c.severity, c.reason, JSON.stringify(c.details), c.unmatchedSize,
          c.notionalUsd, c.oldPnlUsd, c.newPnlUsd,
        ];
      }
    })(),
  );
  await tx.exec(`
    DROP TABLE IF EXISTS pg_temp.review_preserved;
    CREATE TEMP TABLE review_preserved (symbol text PRIMARY KEY, last_order_time timestamptz, last_trade_id bigint)
      ON COMMIT DROP;`);
  await tx.copyIn(
    "review_preserved",
    ["symbol", "last_order_time", "last_trade_id"],
    preservedUpTo.map((p) => [p.symbol, p.lastOrderTime, p.lastTradeId]),
  );
  // Temp tables have no statistics until analyzed; without them the planner picks nested loops.
  await tx.exec("ANALYZE review_candidates; ANALYZE review_preserved;");
  const label = `run #${runId}`;
  const params = [version, runId, label, symbols];

  const [opened] = await tx.query<{ n: number }>(
    `WITH inserted AS (
       INSERT INTO manual_review_queue (allocation_version, trade_id, symbol, issue_type, severity, reason, details,
         unmatched_size, notional_usd, old_pnl_usd, new_pnl_usd, opened_by_computation_id)
       SELECT $1, c.trade_id, c.symbol, c.issue_type, c.severity, c.reason, c.details, c.unmatched_size,
         c.notional_usd, c.old_pnl_usd, c.new_pnl_usd, $2
       FROM review_candidates c
       WHERE NOT EXISTS (SELECT 1 FROM manual_review_queue q
         WHERE q.allocation_version = $1 AND q.trade_id = c.trade_id AND q.issue_type = c.issue_type)
       RETURNING id
     ), history AS (
       INSERT INTO manual_review_history (item_id, action, from_status, to_status, actor_label, computation_id, notes)
       SELECT id, 'opened', NULL, 'pending', $3, $2, 'Opened by ' || $3 FROM inserted
     ) SELECT count(*)::int AS n FROM inserted`,
    params.slice(0, 3),
  );

  // The problem came back after a run had closed it automatically: reopen the same item.
  const [reopened] = await tx.query<{ n: number }>(
    `WITH reopened AS (
       UPDATE manual_review_queue q SET status = 'pending', severity = c.severity, reason = c.reason,
         details = c.details, unmatched_size = c.unmatched_size, notional_usd = c.notional_usd,
         old_pnl_usd = c.old_pnl_usd, new_pnl_usd = c.new_pnl_usd, resolution_type = NULL,
         resolution_notes = NULL, resolved_at = NULL, resolved_by = NULL, closed_by_computation_id = NULL,
         row_version = q.row_version + 1, updated_at = now()
       FROM review_candidates c
       WHERE q.allocation_version = $1 AND q.trade_id = c.trade_id AND q.issue_type = c.issue_type
         AND q.status = 'resolved' AND q.resolution_type = 'auto_resolved'
         AND NOT EXISTS (SELECT 1 FROM manual_review_queue o WHERE o.allocation_version = $1
           AND o.trade_id = c.trade_id AND o.issue_type = c.issue_type AND o.status IN ('pending', 'in_review'))
       RETURNING q.id
     ), history AS (
       INSERT INTO manual_review_history (item_id, action, from_status, to_status, actor_label, computation_id, notes)
       SELECT id, 'reopened', 'resolved', 'pending', $3, $2, 'The problem is back after ' || $3 FROM reopened
     ) SELECT count(*)::int AS n FROM reopened`,
    params.slice(0, 3),
  );

  // Still a problem: keep the open item, refresh its figures.
  await tx.query(
    `UPDATE manual_review_queue q SET severity = c.severity, reason = c.reason, details = c.details,
       unmatched_size = c.unmatched_size, notional_usd = c.notional_usd, old_pnl_usd = c.old_pnl_usd,
       new_pnl_usd = c.new_pnl_usd, updated_at = now()
     FROM review_candidates c
     WHERE q.allocation_version = $1 AND q.trade_id = c.trade_id AND q.issue_type = c.issue_type
       AND q.status IN ('pending', 'in_review')
       AND (q.severity, q.reason, q.details) IS DISTINCT FROM (c.severity, c.reason, c.details)`,
    [version],
  );

  const [closed] = await tx.query<{ n: number }>(
    `WITH closed AS (
       UPDATE manual_review_queue q SET status = 'resolved', resolution_type = 'auto_resolved',
         resolution_notes = 'Problem gone after ' || $3, resolved_at = now(), closed_by_computation_id = $2,
         row_version = q.row_version + 1, updated_at = now()
       FROM manual_review_queue old
       WHERE old.id = q.id AND q.allocation_version = $1 AND q.symbol = ANY ($4::text[])
         AND q.status IN ('pending', 'in_review')
         AND NOT EXISTS (SELECT 1 FROM review_candidates c WHERE c.trade_id = q.trade_id AND c.issue_type = q.issue_type)
         AND NOT EXISTS (SELECT 1 FROM review_preserved p JOIN trade_records t ON t.id = q.trade_id
           WHERE p.symbol = q.symbol AND (t.order_time, t.id) <= (p.last_order_time, p.last_trade_id))
       RETURNING q.id, old.status AS from_status
     ), history AS (
       INSERT INTO manual_review_history (item_id, action, from_status, to_status, actor_label, computation_id, notes)
       SELECT id, 'auto_resolved', from_status, 'resolved', $3, $2, 'Problem gone after ' || $3 FROM closed
     ) SELECT count(*)::int AS n FROM closed`,
    params,
  );
  return { opened: opened!.n + reopened!.n, closed: closed!.n };
}
