"use client";
// Admin: turn following the bot on or off for a version, with the check interval in seconds.
import { useActionState } from "react";
import { setFollow } from "@/app/(app)/versions/actions";
import { FieldError, FormMessage } from "@/components/review/action-form";

export function FollowForm({ version, enabled, intervalSeconds }: { version: number; enabled: boolean; intervalSeconds: number }) {
  const [state, formAction, pending] = useActionState(setFollow, null);
  return (
    <form action={formAction} className="toolbar" style={{ gap: 6 }} data-testid={`follow-form-${version}`}>
      <input type="hidden" name="version" value={version} />
      <input type="hidden" name="enabled" value={enabled ? "false" : "true"} />
      {enabled ? null : (
        <div className="field">
          <label htmlFor={`follow-interval-${version}`} className="muted">every (s)</label>
          <input id={`follow-interval-${version}`} name="intervalSeconds" type="number" min={5} max={86400} defaultValue={intervalSeconds} style={{ width: 80 }} />
          <FieldError state={state} name="intervalSeconds" />
        </div>
      )}
      <button type="submit" className="btn btn-small" disabled={pending} data-testid={`follow-toggle-${version}`}>
        {enabled ? "Stop following" : "Follow the bot"}
      </button>
      <FormMessage state={state} testId={`follow-${version}`} />
    </form>
  );
}
