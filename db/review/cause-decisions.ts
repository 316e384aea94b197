// Reviewers decide about causes, not about single sells: accepting a cause for a version settles
// every open pnl_discrepancy item of that cause now, and runs open none for it later (see
// db/compute/review-sync.ts). A decision is undone, never deleted: undoing reopens the items it
// settled, and the next run opens items for that cause again where a person must look.
import { isAcceptableCause } from "@/lib/compute/discrepancy-causes";
import { ReviewRefusedError } from "@/lib/review/errors";
import type { SqlClient } from "../sql-client";

export interface Decider {
  id: number;
  email: string;
}

export interface CauseDecisionRow {
  id: number;
  allocation_version: number;
  cause: string;
  reason: string;
  decided_by_label: string;
  decided_at: string;
  undone_by_label: string | null;
  undone_at: string | null;
  undo_reason: string | null;
  /** Items this decision settled (and, once undone, reopened). */
  settled_items: number;
}

export async function acceptCause(
  db: SqlClient,
  input: { version: number; cause: string; reason: string },
  user: Decider,
): Promise<{ decisionId: number; settled: number }> {
  if (!isAcceptableCause(input.cause)) {
    throw new ReviewRefusedError(`"${input.cause}" explains nothing: its sells need a person each, not one decision.`, {
      cause: "Choose a cause that explains the difference",
    });
  }
  return db.transaction(async (tx) => {
    const [decision] = await tx.query<{ id: number }>(
      `INSERT INTO fifo_cause_decisions (allocation_version, cause, reason, decided_by, decided_by_label)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (allocation_version, cause) WHERE undone_at IS NULL DO NOTHING
       RETURNING id`,
      [input.version, input.cause, input.reason, user.id, user.email],
    );
    if (!decision) throw new ReviewRefusedError(`The cause "${input.cause}" is already accepted for version ${input.version}.`);
    const [row] = await tx.query<{ n: number }>(
      `WITH settled AS (
         UPDATE manual_review_queue q SET status = 'resolved', resolution_type = 'cause_accepted',
           resolution_notes = 'Cause "' || $2 || '" accepted: ' || $3, resolved_at = now(), resolved_by = $4,
           settled_by_decision_id = $5, row_version = q.row_version + 1, updated_at = now()
         FROM manual_review_queue old
         JOIN fifo_pnl_differences d ON d.allocation_version = old.allocation_version AND d.sell_trade_id = old.trade_id
         WHERE q.id = old.id AND old.allocation_version = $1 AND old.issue_type = 'pnl_discrepancy'
           AND old.status IN ('pending', 'in_review') AND d.cause = $2
         RETURNING q.id, old.status AS from_status
       ), history AS (
         INSERT INTO manual_review_history (item_id, action, from_status, to_status, actor_user_id, actor_label, notes, details)
         SELECT id, 'cause_accepted', from_status, 'resolved', $4, $6, 'Cause "' || $2 || '" accepted: ' || $3,
           jsonb_build_object('decisionId', $5::bigint, 'cause', $2::text)
         FROM settled
       ) SELECT count(*)::int AS n FROM settled`,
      [input.version, input.cause, input.reason, user.id, decision.id, user.email],
    );
    return { decisionId: decision.id, settled: row!.n };
  });
}

export async function undoCauseDecision(
  db: SqlClient,
  input: { decisionId: number; reason: string },
  user: Decider,
): Promise<{ reopened: number }> {
  return db.transaction(async (tx) => {
    const [decision] = await tx.query<{ id: number; cause: string }>(
      `UPDATE fifo_cause_decisions SET undone_at = now(), undone_by = $2, undone_by_label = $3, undo_reason = $4
       WHERE id = $1 AND undone_at IS NULL RETURNING id, cause`,
      [input.decisionId, user.id, user.email, input.reason],
    );
    if (!decision) throw new ReviewRefusedError("This decision was already undone (or does not exist); reload to see it.");
    const [row] = await tx.query<{ n: number }>(
      `WITH reopened AS (
         UPDATE manual_review_queue q SET status = 'pending', resolution_type = NULL, resolution_notes = NULL,
           resolved_at = NULL, resolved_by = NULL, closed_by_computation_id = NULL,
           row_version = q.row_version + 1, updated_at = now()
         WHERE q.settled_by_decision_id = $1 AND q.status = 'resolved' AND q.resolution_type = 'cause_accepted'
           AND NOT EXISTS (SELECT 1 FROM manual_review_queue o WHERE o.allocation_version = q.allocation_version
             AND o.trade_id = q.trade_id AND o.issue_type = q.issue_type AND o.status IN ('pending', 'in_review'))
         RETURNING q.id
       ), history AS (
         INSERT INTO manual_review_history (item_id, action, from_status, to_status, actor_user_id, actor_label, notes, details)
         SELECT id, 'cause_undone', 'resolved', 'pending', $2, $3, 'Acceptance of cause "' || $4 || '" undone: ' || $5,
           jsonb_build_object('decisionId', $1::bigint, 'cause', $4::text)
         FROM reopened
       ) SELECT count(*)::int AS n FROM reopened`,
      [decision.id, user.id, user.email, decision.cause, input.reason],
    );
    return { reopened: row!.n };
  });
}

/** Every decision of a version, newest first, undone ones included (the decisions' history). */
export async function causeDecisions(db: SqlClient, version: number): Promise<CauseDecisionRow[]> {
  return db.query<CauseDecisionRow>(
    `SELECT d.id, d.allocation_version, d.cause, d.reason, d.decided_by_label, d.decided_at, d.undone_by_label,
       d.undone_at, d.undo_reason,
       (SELECT count(*)::int FROM manual_review_queue q WHERE q.settled_by_decision_id = d.id) AS settled_items
     FROM fifo_cause_decisions d WHERE d.allocation_version = $1 ORDER BY d.id DESC`,
    [version],
  );
}

/** The decision that settled an item (for the item's page). */
export async function decisionOfItem(db: SqlClient, itemId: number): Promise<CauseDecisionRow | null> {
  const [row] = await db.query<CauseDecisionRow>(
    `SELECT d.id, d.allocation_version, d.cause, d.reason, d.decided_by_label, d.decided_at, d.undone_by_label,
       d.undone_at, d.undo_reason, 0 AS settled_items
     FROM manual_review_queue q JOIN fifo_cause_decisions d ON d.id = q.settled_by_decision_id WHERE q.id = $1`,
    [itemId],
  );
  return row ?? null;
}
