"use client";
// The workflow on an item's page: claim, assign, release, resolve (with a resolution type), record
// the missing cost basis (unmatched sells), dismiss (with a reason), reopen. Each form sends the
// row_version the page was rendered with; a concurrent change comes back as the conflict message.
import { useActionState } from "react";
import {
  assignItem,
  claimItem,
  dismissItem,
  recordCostBasis,
  releaseItem,
  reopenItem,
  resolveItem,
  takeOverItem,
} from "@/app/(app)/review/actions";
import type { ReviewActionState } from "@/lib/review/action-state";
import {
  DISMISS_REASONS,
  DISMISS_REASON_KEYS,
  PLAIN_RESOLUTION_TYPES,
  RESOLUTION_TYPES,
  canTransition,
  resolutionAllowedFor,
} from "@/lib/review/workflow";
import { FieldError, FormMessage, invalid, typed } from "./action-form";

export interface ItemActionsProps {
  itemId: number;
  rowVersion: number;
  status: string;
  issueType: string;
  assignedTo: number | null;
  currentUserId: number;
  reviewers: { id: number; email: string }[];
  unmatchedSize: string | null;
  sellTime: string | null;
  defaultBuyTime: string;
  defaultBuyPrice: string;
  isDust: boolean;
  /** The live manual buy this item recorded: reopening asks whether to keep or void it. */
  liveManualTradeId?: number | null;
}

type Action = (prev: ReviewActionState, fd: FormData) => Promise<NonNullable<ReviewActionState>>;

function Hidden({ itemId, rowVersion }: { itemId: number; rowVersion: number }) {
  return (
    <>
      <input type="hidden" name="id" value={String(itemId)} />
      <input type="hidden" name="rowVersion" value={String(rowVersion)} />
    </>
  );
}

export function ItemActions(props: ItemActionsProps) {
  const { status, issueType } = props;
  const open = status === "pending" || status === "in_review";
  const claimedByOther = status === "in_review" && props.assignedTo !== null && props.assignedTo !== props.currentUserId;
  return (
    <div className="stack" data-testid="item-actions">
      {claimedByOther ? (
        <div className="toolbar">
          <ButtonForm {...props} action={takeOverItem} label="Take over (assign to me; recorded)" testId="take-over" />
        </div>
      ) : null}
      {canTransition("claim", status) || canTransition("release", status) ? (
        <div className="toolbar">
          {canTransition("claim", status) ? <ButtonForm {...props} action={claimItem} label="Claim (start reviewing)" testId="claim" /> : null}
          {canTransition("release", status) ? <ButtonForm {...props} action={releaseItem} label="Release (back to pending)" testId="release" /> : null}
        </div>
      ) : null}
      {canTransition("assign", status) ? <AssignForm {...props} /> : null}
      {open && issueType === "unmatched_sell" ? <CostBasisForm {...props} /> : null}
      {canTransition("resolve", status) ? <ResolveForm {...props} /> : null}
      {canTransition("dismiss", status) ? <DismissForm {...props} /> : null}
      {canTransition("reopen", status) ? <ReopenForm {...props} /> : null}
    </div>
  );
}

function ButtonForm(props: ItemActionsProps & { action: Action; label: string; testId: string }) {
  const [state, formAction, pending] = useActionState(props.action, null);
  return (
    <form action={formAction} data-testid={`${props.testId}-form`}>
      <Hidden {...props} />
      <button type="submit" className="btn" disabled={pending} data-testid={props.testId}>
        {props.label}
      </button>
      <FormMessage state={state} testId={props.testId} />
    </form>
  );
}

function AssignForm(props: ItemActionsProps) {
  const [state, formAction, pending] = useActionState(assignItem, null);
  return (
    <form action={formAction} className="card" aria-label="Assign" data-testid="assign-form">
      <h3>Assign</h3>
      <Hidden {...props} />
      <div className="toolbar" style={{ alignItems: "flex-end" }}>
        <div className="field">
          <label htmlFor="assign-to">Reviewer</label>
          <select
            id="assign-to"
            name="assigneeId"
            defaultValue={typed(state, "assigneeId", String(props.assignedTo ?? props.currentUserId))}
            aria-invalid={invalid(state, "assigneeId")}
          >
            {props.reviewers.map((r) => (
              <option key={r.id} value={r.id}>
                {r.email}
                {r.id === props.currentUserId ? " (me)" : ""}
              </option>
            ))}
          </select>
          <FieldError state={state} name="assigneeId" />
        </div>
        <div className="field" style={{ flex: 1 }}>
          <label htmlFor="assign-notes">Note (optional)</label>
          <input id="assign-notes" name="notes" defaultValue={typed(state, "notes")} />
          <FieldError state={state} name="notes" />
        </div>
        <div className="field">
          <button type="submit" className="btn" disabled={pending}>
            Assign
          </button>
        </div>
      </div>
      <FormMessage state={state} testId="assign" />
    </form>
  );
}

function ResolveForm(props: ItemActionsProps) {
  const [state, formAction, pending] = useActionState(resolveItem, null);
  const types = PLAIN_RESOLUTION_TYPES.filter((t) => resolutionAllowedFor(t, props.issueType));
  return (
    <form action={formAction} className="card" aria-label="Resolve" data-testid="resolve-form">
      <h3>{props.issueType === "pnl_discrepancy" ? "Resolve (e.g. accept as explained)" : "Resolve"}</h3>
      <Hidden {...props} />
      <div className="field">
        <label htmlFor="resolution-type">Resolution</label>
        <select
          id="resolution-type"
          name="resolutionType"
          defaultValue={typed(state, "resolutionType", types[0])}
          aria-invalid={invalid(state, "resolutionType")}
        >
          {types.map((t) => (
            <option key={t} value={t}>
              {RESOLUTION_TYPES[t].label}
            </option>
          ))}
        </select>
        <FieldError state={state} name="resolutionType" />
      </div>
      <div className="field">
        <label htmlFor="resolve-notes">Notes: why (for the auditor)</label>
        <textarea id="resolve-notes" name="notes" defaultValue={typed(state, "notes")} aria-invalid={invalid(state, "notes")} />
        <FieldError state={state} name="notes" />
      </div>
      <button type="submit" className="btn btn-primary" disabled={pending} data-testid="resolve">
        Resolve
      </button>
      <FormMessage state={state} testId="resolve" />
    </form>
  );
}

function CostBasisForm(props: ItemActionsProps) {
  const [state, formAction, pending] = useActionState(recordCostBasis, null);
  return (
    <form action={formAction} className="card" aria-label="Record the missing cost basis" data-testid="cost-basis-form">
      <h3>Record the missing buy and resolve</h3>
      <p className="muted">
        Adds a filled manual buy of this symbol to the trades (source “manual”). The next recompute uses it as a lot for this
        sell. Its time must be before the sell{props.sellTime ? ` (${props.sellTime} UTC)` : ""}; the default is one second
        before, so no earlier sell takes it.
      </p>
      <Hidden {...props} />
      <div className="toolbar" style={{ alignItems: "flex-start" }}>
        <div className="field">
          <label htmlFor="cb-size">Size</label>
          <input id="cb-size" name="size" inputMode="decimal" defaultValue={typed(state, "size", props.unmatchedSize ?? "")} aria-invalid={invalid(state, "size")} />
          <FieldError state={state} name="size" />
        </div>
        <div className="field">
          <label htmlFor="cb-price">Price (USD per unit)</label>
          <input id="cb-price" name="price" inputMode="decimal" defaultValue={typed(state, "price", props.defaultBuyPrice)} aria-invalid={invalid(state, "price")} />
          <FieldError state={state} name="price" />
        </div>
        <div className="field">
          <label htmlFor="cb-time">Time (UTC)</label>
          <input
            id="cb-time"
            name="orderTime"
            type="datetime-local"
            step="1"
            defaultValue={typed(state, "orderTime", props.defaultBuyTime)}
            aria-invalid={invalid(state, "orderTime")}
          />
          <FieldError state={state} name="orderTime" />
        </div>
        <div className="field">
          <label htmlFor="cb-fee">Fee (USD)</label>
          <input id="cb-fee" name="feeUsd" inputMode="decimal" defaultValue={typed(state, "feeUsd", "0")} aria-invalid={invalid(state, "feeUsd")} />
          <FieldError state={state} name="feeUsd" />
        </div>
      </div>
      <div className="field">
        <label htmlFor="cb-notes">Note: where the buy comes from</label>
        <textarea id="cb-notes" name="notes" defaultValue={typed(state, "notes")} aria-invalid={invalid(state, "notes")} />
        <FieldError state={state} name="notes" />
      </div>
      <button type="submit" className="btn btn-primary" disabled={pending} data-testid="record-cost-basis">
        Record buy and resolve
      </button>
      <FormMessage state={state} testId="cost-basis" />
    </form>
  );
}

function DismissForm(props: ItemActionsProps) {
  const [state, formAction, pending] = useActionState(dismissItem, null);
  return (
    <form action={formAction} className="card" aria-label="Dismiss" data-testid="dismiss-form">
      <h3>Dismiss</h3>
      <Hidden {...props} />
      <div className="field">
        <label htmlFor="dismiss-reason">Reason</label>
        <select id="dismiss-reason" name="reason" defaultValue={typed(state, "reason", props.isDust ? "dust" : "not_a_problem")} aria-invalid={invalid(state, "reason")}>
          {DISMISS_REASON_KEYS.map((r) => (
            <option key={r} value={r}>
              {DISMISS_REASONS[r]}
            </option>
          ))}
        </select>
        <FieldError state={state} name="reason" />
      </div>
      <div className="field">
        <label htmlFor="dismiss-notes">Notes (needed for “Other”)</label>
        <textarea id="dismiss-notes" name="notes" defaultValue={typed(state, "notes")} aria-invalid={invalid(state, "notes")} />
        <FieldError state={state} name="notes" />
      </div>
      <button type="submit" className="btn btn-danger" disabled={pending} data-testid="dismiss">
        Dismiss
      </button>
      <FormMessage state={state} testId="dismiss" />
    </form>
  );
}

function ReopenForm(props: ItemActionsProps) {
  const [state, formAction, pending] = useActionState(reopenItem, null);
  return (
    <form action={formAction} className="card" aria-label="Reopen" data-testid="reopen-form">
      <h3>Reopen</h3>
      <Hidden {...props} />
      <div className="field">
        <label htmlFor="reopen-notes">Why reopen it</label>
        <textarea id="reopen-notes" name="notes" defaultValue={typed(state, "notes")} aria-invalid={invalid(state, "notes")} />
        <FieldError state={state} name="notes" />
      </div>
      {props.liveManualTradeId ? (
        <fieldset className="field" data-testid="reopen-manual-buy" aria-invalid={invalid(state, "manualBuy")}>
          <legend>Manual buy #{props.liveManualTradeId} this item recorded</legend>
          <label>
            <input type="radio" name="manualBuy" value="keep" defaultChecked={typed(state, "manualBuy") === "keep"} /> Keep it
            (it still covers the sell in every version)
          </label>
          <label>
            <input type="radio" name="manualBuy" value="void" defaultChecked={typed(state, "manualBuy") === "void"} /> Void it
            (the next recompute leaves it out)
          </label>
          <FieldError state={state} name="manualBuy" />
        </fieldset>
      ) : null}
      <button type="submit" className="btn" disabled={pending} data-testid="reopen">
        Reopen
      </button>
      <FormMessage state={state} testId="reopen" />
    </form>
  );
}
