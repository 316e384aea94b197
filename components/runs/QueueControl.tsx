"use client";
// Admin: pause the queue (queued runs wait; a running run goes on) or resume it.
import { useActionState } from "react";
import { pauseQueue } from "@/app/(app)/runs/actions";

export function QueueControl({ paused }: { paused: boolean }) {
  const [state, formAction, pending] = useActionState(pauseQueue, null);
  return (
    <form action={formAction} className="toolbar" style={{ margin: 0 }}>
      <input type="hidden" name="paused" value={paused ? "false" : "true"} />
      <button type="submit" className="btn btn-small" disabled={pending} data-testid={paused ? "resume-queue" : "pause-queue"}>
        {paused ? "Resume queue" : "Pause queue"}
      </button>
      {state && !state.ok ? (
        <span className="field-error" role="alert">
          {state.error}
        </span>
      ) : null}
    </form>
  );
}
