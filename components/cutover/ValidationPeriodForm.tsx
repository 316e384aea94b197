"use client";
// Admin: the validation period (UTC days) the drift page and the cutover checklist use.
import { useActionState } from "react";
import { setValidationPeriod } from "@/app/(app)/versions/actions";
import { FieldError, FormMessage } from "@/components/review/action-form";

export function ValidationPeriodForm({ version, from, to }: { version: number; from: string; to: string }) {
  const [state, formAction, pending] = useActionState(setValidationPeriod, null);
  return (
    <form action={formAction} className="toolbar" data-testid="validation-period-form">
      <input type="hidden" name="version" value={version} />
      <div className="field">
        <label htmlFor="period-from">First day</label>
        <input id="period-from" name="from" type="date" defaultValue={from} required />
        <FieldError state={state} name="from" />
      </div>
      <div className="field">
        <label htmlFor="period-to">Last day</label>
        <input id="period-to" name="to" type="date" defaultValue={to} required />
        <FieldError state={state} name="to" />
      </div>
      <button type="submit" className="btn" disabled={pending}>
        {pending ? "Saving…" : "Set validation period"}
      </button>
      <FormMessage state={state} testId="validation-period" />
    </form>
  );
}
