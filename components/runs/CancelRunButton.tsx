"use client";
// Admin only (the page renders it for admins; the action checks the role again).
import { useActionState } from "react";
import { cancelRun } from "@/app/(app)/runs/actions";

export function CancelRunButton({ runId }: { runId: number }) {
  const [state, formAction, pending] = useActionState(cancelRun, null);
  return (
    <form
      action={formAction}
      onSubmit={(event) => {
        if (!window.confirm(`Cancel run #${runId}? The version keeps its previous allocations.`)) event.preventDefault();
      }}
    >
      <input type="hidden" name="runId" value={runId} />
      <button type="submit" className="btn btn-danger" disabled={pending} data-testid="cancel-run">
        {pending ? "Cancelling…" : "Cancel run"}
      </button>
      {state ? (
        <p className={state.ok ? "alert-info" : "alert-error"} role="status" style={{ marginTop: 8 }}>
          {state.ok ? state.message : state.error}
        </p>
      ) : null}
    </form>
  );
}
