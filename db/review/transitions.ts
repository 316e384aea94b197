// Changing review items: every change names the row_version the reviewer read, and one UPDATE
// ... WHERE id = r.id AND row_version = r.version both applies it and detects a concurrent change
// (on PostgreSQL the second writer waits for the first, then finds a new row_version and updates
// nothing). The history row is written in the same statement, so a change never exists without
// its history. A single-item change that cannot apply throws; a bulk change applies what it can
// and reports the rest.
import type { Role } from "@/lib/auth/roles";
import type { ItemRef } from "@/lib/review/schemas";
import { ReviewConflictError, ReviewRefusedError } from "@/lib/review/errors";
import {
  type DismissReason,
  ISSUE_TYPES,
  RESOLUTION_TYPES,
  type ResolutionType,
  type ReviewAction,
  type ReviewStatus,
  TRANSITIONS,
  assigneeOnly,
  canTransition,
  claimedByOtherMessage,
  refusalMessage,
  resolutionAllowedFor,
} from "@/lib/review/workflow";
import type { SqlClient } from "../sql-client";
import { SqlParams } from "./source";

export interface Actor {
  id: number;
  email: string;
  /** Admins may change items other reviewers claimed; anyone else takes them over first. */
  role?: Role;
}

export type ReviewChange =
  | { action: "claim" }
  | { action: "take_over"; notes?: string }
  | { action: "assign"; assigneeId: number; notes?: string }
  | { action: "release"; notes?: string }
  | { action: "resolve"; resolutionType: ResolutionType; notes: string; manualTradeId?: number; details?: Record<string, unknown> }
  | { action: "dismiss"; reason: DismissReason; notes?: string; onlyDust?: { dustNotionalUsd: string } }
  /** manualBuyDecided: the reviewer chose to keep or void the item's manual buy (db/review/reopen.ts). */
  | { action: "reopen"; notes: string; details?: Record<string, unknown>; manualBuyDecided?: boolean };

export interface ChangedItem {
  id: number;
  trade_id: number;
  symbol: string;
  from_status: ReviewStatus;
  to_status: ReviewStatus;
  row_version: number;
}

export interface SkippedItem {
  id: number;
  reason: string;
  conflict: boolean;
}

export interface ChangeOutcome {
  changed: ChangedItem[];
  skipped: SkippedItem[];
}

interface Plan {
  set: string;
  extraWhere: string[];
  notes: string | null;
  details: Record<string, unknown>;
}

async function planChange(tx: SqlClient, change: ReviewChange, actor: Actor, p: SqlParams): Promise<Plan> {
  const resolvedBy = () => `resolved_by = ${p.add(actor.id)}::bigint, resolved_at = now(), closed_by_computation_id = NULL`;
  switch (change.action) {
    case "claim":
      return { set: `status = 'in_review', assigned_to = ${p.add(actor.id)}::bigint`, extraWhere: [], notes: null, details: {} };
    case "take_over":
      return { set: `assigned_to = ${p.add(actor.id)}::bigint`, extraWhere: [], notes: change.notes || null, details: {} };
    case "assign": {
      const [assignee] = await tx.query<{ id: number; email: string }>(
        "SELECT id, email FROM app_users WHERE id = $1 AND role IN ('reviewer', 'admin') AND disabled_at IS NULL",
        [change.assigneeId],
      );
      if (!assignee) {
        throw new ReviewRefusedError("Items can only be assigned to a reviewer or an admin.", {
          assigneeId: "Choose a reviewer or an admin",
        });
      }
      return {
        set: `status = 'in_review', assigned_to = ${p.add(assignee.id)}::bigint`,
        extraWhere: [],
        notes: change.notes || null,
        details: { assigneeId: assignee.id, assigneeEmail: assignee.email },
      };
    }
    case "release":
      return { set: `status = 'pending', assigned_to = NULL`, extraWhere: [], notes: change.notes || null, details: {} };
    case "resolve": {
      const issueTypes = ISSUE_TYPES.filter((t) => resolutionAllowedFor(change.resolutionType, t));
      return {
        set: `status = 'resolved', resolution_type = ${p.add(change.resolutionType)}::text, resolution_notes = ${p.add(change.notes)}::text,
          manual_trade_id = coalesce(${p.add(change.manualTradeId ?? null)}::bigint, q.manual_trade_id), ${resolvedBy()}`,
        extraWhere: [`q.issue_type = ANY (${p.add(issueTypes)}::text[])`],
        notes: change.notes,
        details: { resolutionType: change.resolutionType, ...(change.details ?? {}) },
      };
    }
    case "dismiss": {
      const extraWhere = change.onlyDust
        ? [
            `q.issue_type = 'unmatched_sell' AND coalesce(q.notional_usd,
              q.unmatched_size * (SELECT t.price FROM fifo_trades t WHERE t.id = q.trade_id))
              < ${p.add(change.onlyDust.dustNotionalUsd)}::numeric`,
          ]
        : [];
      return {
        set: `status = 'dismissed', resolution_type = ${p.add(change.reason)}::text, resolution_notes = ${p.add(change.notes || null)}::text,
          ${resolvedBy()}`,
        extraWhere,
        notes: change.notes || null,
        details: { reason: change.reason },
      };
    }
    case "reopen":
      return {
        set: `status = 'pending', resolution_type = NULL, resolution_notes = NULL, resolved_by = NULL, resolved_at = NULL,
          closed_by_computation_id = NULL, assigned_to = NULL`,
        // The partial unique index allows one open item per (version, trade, issue).
        extraWhere: [
          `NOT EXISTS (SELECT 1 FROM manual_review_queue o WHERE o.allocation_version = q.allocation_version
            AND o.trade_id = q.trade_id AND o.issue_type = q.issue_type AND o.status IN ('pending', 'in_review')
            AND o.id <> q.id)`,
          // An item whose manual buy still counts is reopened only where the reviewer is asked about it.
          ...(change.manualBuyDecided
            ? []
            : ["NOT EXISTS (SELECT 1 FROM fifo_manual_trades m WHERE m.id = q.manual_trade_id AND m.voided_at IS NULL)"]),
        ],
        notes: change.notes,
        details: change.details ?? {},
      };
  }
}

/**
 * Applies `change` to the items as the reviewer saw them (id + row_version). Items changed since,
 * or whose status (or issue type, or dust-ness) does not allow the change, are skipped with the
 * reason. With `strict`, any skipped item throws and nothing changes.
 */
export async function changeReviewItems(
  db: SqlClient,
  refs: readonly ItemRef[],
  change: ReviewChange,
  actor: Actor,
  options: { strict?: boolean } = {},
): Promise<ChangeOutcome> {
  const unique = [...new Map(refs.map((r) => [r.id, r])).values()];
  return db.transaction(async (tx) => {
    const p = new SqlParams();
    const transition = TRANSITIONS[change.action];
    const plan = await planChange(tx, change, actor, p);
    if (assigneeOnly(change.action) && actor.role !== "admin") {
      plan.extraWhere.push(`(q.status <> 'in_review' OR q.assigned_to IS NULL OR q.assigned_to = ${p.add(actor.id)}::bigint)`);
    }
    const ids = p.add(unique.map((r) => r.id));
    const versions = p.add(unique.map((r) => r.rowVersion));
    const sql = `WITH changed AS (
        UPDATE manual_review_queue q SET ${plan.set}, row_version = q.row_version + 1, updated_at = now()
        FROM unnest(${ids}::bigint[], ${versions}::int[]) AS r(id, seen_version), manual_review_queue old
        WHERE q.id = r.id AND old.id = q.id AND q.row_version = r.seen_version
          AND q.status = ANY (${p.add(transition.from)}::text[])
          ${plan.extraWhere.map((w) => `AND ${w}`).join(" ")}
        RETURNING q.id, q.trade_id, q.symbol, old.status AS from_status, q.status AS to_status, q.row_version,
          old.assigned_to AS previous_assignee
      ), history AS (
        INSERT INTO manual_review_history (item_id, action, from_status, to_status, actor_user_id, actor_label, notes, details)
        SELECT id, ${p.add(transition.historyAction)}::text, from_status, to_status, ${p.add(actor.id)}::bigint,
          ${p.add(actor.email)}::text, ${p.add(plan.notes)}::text,
          ${p.add(JSON.stringify(plan.details))}::jsonb || CASE WHEN from_status = 'in_review' AND previous_assignee IS DISTINCT FROM ${p.add(actor.id)}::bigint
            THEN jsonb_build_object('previousAssigneeId', previous_assignee) ELSE '{}'::jsonb END
        FROM changed
      )
      SELECT id, trade_id, symbol, from_status, to_status, row_version FROM changed ORDER BY id`;
    let changed: ChangedItem[];
    try {
      changed = await tx.query<ChangedItem>(sql, p.values);
    } catch (error) {
      if ((error as { code?: string }).code === "23505") {
        throw new ReviewRefusedError(
          "Another open item already exists for the same trade and issue; work on that one instead. Nothing was changed.",
        );
      }
      throw error;
    }
    const done = new Set(changed.map((c) => c.id));
    const missing = unique.filter((r) => !done.has(r.id));
    const skipped = missing.length ? await explainSkipped(tx, missing, change, actor) : [];
    if (options.strict && skipped.length > 0) {
      const first = skipped[0]!;
      if (first.conflict) throw first.error;
      throw new ReviewRefusedError(first.reason);
    }
    return { changed, skipped: skipped.map(({ id, reason, conflict }) => ({ id, reason, conflict })) };
  });
}

interface CurrentState {
  id: number;
  status: string;
  row_version: number;
  issue_type: string;
  last_actor: string | null;
  last_at: string | null;
  assigned_to: number | null;
  assignee_email: string | null;
  live_manual_trade_id: number | null;
}

/** Why each item was not changed, read after the UPDATE (so a concurrent writer's change is visible). */
async function explainSkipped(
  tx: SqlClient,
  refs: ItemRef[],
  change: ReviewChange,
  actor: Actor,
): Promise<(SkippedItem & { error?: ReviewConflictError })[]> {
  const rows = await tx.query<CurrentState>(
    `SELECT q.id, q.status, q.row_version, q.issue_type, h.actor_label AS last_actor, h.at AS last_at,
       q.assigned_to, u.email AS assignee_email,
       (SELECT m.id FROM fifo_manual_trades m WHERE m.id = q.manual_trade_id AND m.voided_at IS NULL) AS live_manual_trade_id
     FROM manual_review_queue q
     LEFT JOIN app_users u ON u.id = q.assigned_to
     LEFT JOIN LATERAL (SELECT actor_label, at FROM manual_review_history WHERE item_id = q.id ORDER BY id DESC LIMIT 1) h
       ON true
     WHERE q.id = ANY ($1::bigint[])`,
    [refs.map((r) => r.id)],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return refs.map((ref) => {
    const row = byId.get(ref.id);
    if (!row) return { id: ref.id, reason: `Item #${ref.id} does not exist.`, conflict: false };
    if (row.row_version !== ref.rowVersion) {
      const error = new ReviewConflictError(ref.id, row.last_actor, row.last_at);
      return { id: ref.id, reason: error.message, conflict: true, error };
    }
    if (!canTransition(change.action, row.status)) {
      return { id: ref.id, reason: refusalMessage(change.action, row.status), conflict: false };
    }
    if (
      assigneeOnly(change.action) && actor.role !== "admin" && row.status === "in_review" &&
      row.assigned_to !== null && row.assigned_to !== actor.id
    ) {
      return { id: ref.id, reason: claimedByOtherMessage(ref.id, row.assignee_email), conflict: false };
    }
    if (change.action === "resolve" && !resolutionAllowedFor(change.resolutionType, row.issue_type)) {
      return {
        id: ref.id,
        reason: `"${RESOLUTION_TYPES[change.resolutionType].label}" does not apply to a ${row.issue_type.replace("_", " ")}.`,
        conflict: false,
      };
    }
    if (change.action === "dismiss" && change.onlyDust) {
      return { id: ref.id, reason: `Item #${ref.id} is not dust (any more).`, conflict: false };
    }
    if (change.action === "reopen" && row.live_manual_trade_id !== null && !change.manualBuyDecided) {
      return {
        id: ref.id,
        reason: `Item #${ref.id} recorded manual buy #${row.live_manual_trade_id}: reopen it on its own page to keep or void the buy.`,
        conflict: false,
      };
    }
    if (change.action === "reopen") {
      return {
        id: ref.id,
        reason: `Item #${ref.id} cannot be reopened: another open item exists for the same trade and issue.`,
        conflict: false,
      };
    }
    return { id: ref.id, reason: `Item #${ref.id} was not changed.`, conflict: false };
  });
}

/** One item, all or nothing: throws ReviewConflictError / ReviewRefusedError when it cannot apply. */
export async function changeReviewItem(
  db: SqlClient,
  ref: ItemRef,
  change: ReviewChange,
  actor: Actor,
): Promise<ChangedItem> {
  const outcome = await changeReviewItems(db, [ref], change, actor, { strict: true });
  return outcome.changed[0]!;
}

/** Summary of a bulk outcome for the reviewer, e.g. "Dismissed 41 items; 1 skipped: ...". */
export function describeOutcome(action: ReviewAction, outcome: ChangeOutcome): string {
  const verb = TRANSITIONS[action].historyAction;
  const n = outcome.changed.length;
  let text = `${verb[0]!.toUpperCase()}${verb.slice(1)} ${n} ${n === 1 ? "item" : "items"}.`;
  if (outcome.skipped.length > 0) {
    const shown = outcome.skipped.slice(0, 5).map((s) => `#${s.id}: ${s.reason}`);
    const more = outcome.skipped.length > 5 ? ` (and ${outcome.skipped.length - 5} more)` : "";
    text += ` ${outcome.skipped.length} skipped: ${shown.join(" ")}${more}`;
  }
  return text;
}
