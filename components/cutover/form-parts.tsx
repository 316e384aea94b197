"use client";
// The outcome line and field errors of the versions page's admin forms.
import type { ActionResult } from "@/lib/auth/action";

export type AnyActionState = ActionResult<unknown> | null;

export function Outcome({ state, testId }: { state: AnyActionState; testId: string }) {
  if (!state) return null;
  return state.ok ? (
    <p className="alert-success" role="status" data-testid={`${testId}-ok`}>
      {state.message ?? "Done."}
    </p>
  ) : (
    <p className="alert-error" role="alert" data-testid={`${testId}-error`}>
      {state.error}
    </p>
  );
}

export function FieldError({ state, name }: { state: AnyActionState; name: string }) {
  const message = state && !state.ok ? state.fieldErrors?.[name] : undefined;
  return message ? (
    <p className="field-error" data-testid={`field-error-${name}`}>
      {message}
    </p>
  ) : null;
}
