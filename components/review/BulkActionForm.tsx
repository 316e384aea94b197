"use client";
// One form for every bulk action on a selection of items ("id:row_version" each): claim, assign,
// release, resolve, dismiss, reopen. Items changed by someone else since the page was rendered are
// skipped and reported, never overwritten.
import { useActionState, useState } from "react";
import { bulkAssign, bulkClaim, bulkDismiss, bulkRelease, bulkReopen, bulkResolve, groupAct } from "@/app/(app)/review/actions";
import type { ReviewActionState } from "@/lib/review/action-state";
import { DISMISS_REASONS, DISMISS_REASON_KEYS, PLAIN_RESOLUTION_TYPES, RESOLUTION_TYPES } from "@/lib/review/workflow";
import { FieldError, FormMessage, invalid, typed } from "./action-form";

const OPS = {
  claim: { label: "Claim", run: bulkClaim },
  assign: { label: "Assign to…", run: bulkAssign },
  release: { label: "Release", run: bulkRelease },
  resolve: { label: "Resolve…", run: bulkResolve },
  dismiss: { label: "Dismiss…", run: bulkDismiss },
  reopen: { label: "Reopen…", run: bulkReopen },
} as const;
type Op = keyof typeof OPS;

async function dispatch(prev: ReviewActionState, fd: FormData): Promise<ReviewActionState> {
  const op = String(fd.get("op") ?? "") as Op;
  const entry = OPS[op];
  if (!entry) return { ok: false, error: "Choose an action." };
  return entry.run(prev, fd);
}

export interface BulkActionFormProps {
  /** "id:row_version" of the selected items. */
  refs: string[];
  /** Instead of refs: a whole group (its key fields and asOf), resolved to its items on the server. */
  group?: { fields: Record<string, string>; count: number };
  reviewers: { id: number; email: string }[];
  currentUserId: number;
  /** Restrict the menu (e.g. group actions on open items only). */
  ops?: Op[];
  testId?: string;
  onDone?: () => void;
}

export function BulkActionForm({ refs, group, reviewers, currentUserId, ops, testId = "bulk", onDone }: BulkActionFormProps) {
  const [op, setOp] = useState<Op>((ops ?? ["claim"])[0] ?? "claim");
  const [state, formAction, pending] = useActionState(async (prev: ReviewActionState, fd: FormData) => {
    const result = group ? await groupAct(prev, fd) : await dispatch(prev, fd);
    if (result?.ok) onDone?.();
    return result;
  }, null);
  const available = (ops ?? (Object.keys(OPS) as Op[])).map((key) => [key, OPS[key].label] as const);
  const count = group ? group.count : refs.length;
  return (
    <form action={formAction} data-testid={`${testId}-form`}>
      {group ? (
        Object.entries(group.fields).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />)
      ) : (
        <input type="hidden" name="items" value={refs.join(",")} />
      )}
      <div className="toolbar" style={{ alignItems: "flex-end" }}>
        <div className="field">
          <label htmlFor={`${testId}-op`}>With {count} selected</label>
          <select id={`${testId}-op`} name="op" value={op} onChange={(e) => setOp(e.target.value as Op)} data-testid={`${testId}-op`}>
            {available.map(([key, label]) => (
              <option key={key} value={key}>
                {label}
              </option>
            ))}
          </select>
        </div>
        {op === "assign" ? (
          <div className="field">
            <label htmlFor={`${testId}-assignee`}>Reviewer</label>
            <select id={`${testId}-assignee`} name="assigneeId" defaultValue={typed(state, "assigneeId", String(currentUserId))}>
              {reviewers.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.email}
                </option>
              ))}
            </select>
            <FieldError state={state} name="assigneeId" />
          </div>
        ) : null}
        {op === "resolve" ? (
          <div className="field">
            <label htmlFor={`${testId}-resolution`}>Resolution</label>
            <select id={`${testId}-resolution`} name="resolutionType" defaultValue={typed(state, "resolutionType", "accepted")}>
              {PLAIN_RESOLUTION_TYPES.map((t) => (
                <option key={t} value={t}>
                  {RESOLUTION_TYPES[t].label}
                </option>
              ))}
            </select>
            <FieldError state={state} name="resolutionType" />
          </div>
        ) : null}
        {op === "dismiss" ? (
          <div className="field">
            <label htmlFor={`${testId}-reason`}>Reason</label>
            <select id={`${testId}-reason`} name="reason" defaultValue={typed(state, "reason", "not_a_problem")}>
              {DISMISS_REASON_KEYS.map((r) => (
                <option key={r} value={r}>
                  {DISMISS_REASONS[r]}
                </option>
              ))}
            </select>
            <FieldError state={state} name="reason" />
          </div>
        ) : null}
        {op !== "claim" ? (
          <div className="field" style={{ flex: 1, minWidth: 220 }}>
            <label htmlFor={`${testId}-notes`}>{op === "resolve" || op === "reopen" ? "Notes (why)" : "Notes (optional)"}</label>
            <input id={`${testId}-notes`} name="notes" defaultValue={typed(state, "notes")} aria-invalid={invalid(state, "notes")} />
            <FieldError state={state} name="notes" />
          </div>
        ) : null}
        <div className="field">
          <button type="submit" className="btn btn-primary" disabled={pending || count === 0} data-testid={`${testId}-submit`}>
            Apply to {count}
          </button>
        </div>
      </div>
      <FieldError state={state} name="items" />
      <FormMessage state={state} testId={testId} />
    </form>
  );
}
