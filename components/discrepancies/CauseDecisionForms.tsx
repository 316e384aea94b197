"use client";
// Accept a cause for a version (with a reason), or undo an acceptance. The server re-checks the
// role and the cause; errors show beside the field.
import { useActionState } from "react";
import { acceptCauseAction, undoCauseAction } from "@/app/(app)/discrepancies/actions";
import type { ActionResult } from "@/lib/auth/action";
import { FieldError, FormMessage, invalid, typed } from "@/components/review/action-form";

type State = ActionResult<{ settled: number }> | null;

export function AcceptCauseForm({ version, cause, openItems }: { version: number; cause: string; openItems: number }) {
  const [state, formAction, pending] = useActionState<State, FormData>((_s, fd) => acceptCauseAction(fd), null);
  return (
    <form action={formAction} className="stack" data-testid={`accept-form-${cause}`}>
      <input type="hidden" name="version" value={version} />
      <input type="hidden" name="cause" value={cause} />
      <div className="field">
        <label htmlFor={`accept-reason-${cause}`}>Why this cause is acceptable</label>
        <input
          id={`accept-reason-${cause}`}
          name="reason"
          defaultValue={typed(state, "reason")}
          aria-invalid={invalid(state, "reason")}
          data-testid={`accept-reason-${cause}`}
          placeholder="e.g. the old code ignored fees"
        />
        <FieldError state={state} name="reason" />
      </div>
      <FieldError state={state} name="cause" />
      <FieldError state={state} name="version" />
      <button type="submit" className="btn btn-primary btn-small" disabled={pending} data-testid={`accept-${cause}`}>
        Accept cause{openItems > 0 ? ` (settles ${openItems} open ${openItems === 1 ? "item" : "items"})` : ""}
      </button>
      <FormMessage state={state} testId={`accept-${cause}`} />
    </form>
  );
}

export function UndoCauseForm({ decisionId, cause }: { decisionId: number; cause: string }) {
  const [state, formAction, pending] = useActionState<State, FormData>((_s, fd) => undoCauseAction(fd), null);
  return (
    <form action={formAction} className="stack" data-testid={`undo-form-${cause}`}>
      <input type="hidden" name="decisionId" value={decisionId} />
      <div className="field">
        <label htmlFor={`undo-reason-${cause}`}>Why undo</label>
        <input
          id={`undo-reason-${cause}`}
          name="reason"
          defaultValue={typed(state, "reason")}
          aria-invalid={invalid(state, "reason")}
          data-testid={`undo-reason-${cause}`}
        />
        <FieldError state={state} name="reason" />
      </div>
      <FieldError state={state} name="decisionId" />
      <button type="submit" className="btn btn-small" disabled={pending} data-testid={`undo-${cause}`}>
        Undo acceptance
      </button>
      <FormMessage state={state} testId={`undo-${cause}`} />
    </form>
  );
}
