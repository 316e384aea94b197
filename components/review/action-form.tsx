"use client";
// Pieces every action form shares (review, cutover): the form-level message, errors beside fields, and the values
// the user typed (the action echoes them back on failure, React resets uncontrolled fields).
import type { ActionResult } from "@/lib/auth/action";

/** Any action's state: these pieces read only ok, message, error, fieldErrors and values. */
type ReviewActionState = ActionResult<unknown> | null;

export function FormMessage({ state, testId = "action-result" }: { state: ReviewActionState; testId?: string }) {
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

export function FieldError({ state, name }: { state: ReviewActionState; name: string }) {
  const message = state && !state.ok ? state.fieldErrors?.[name] : undefined;
  return message ? (
    <p className="field-error" data-testid={`field-error-${name}`}>
      {message}
    </p>
  ) : null;
}

/** What to put back into a field after a failed submit. */
export function typed(state: ReviewActionState, name: string, fallback = ""): string {
  return state && !state.ok ? (state.values?.[name] ?? fallback) : fallback;
}

export function invalid(state: ReviewActionState, name: string): true | undefined {
  return state && !state.ok && state.fieldErrors?.[name] ? true : undefined;
}
