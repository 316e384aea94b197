"use client";
// Admin control on the versions page: delete a version (type its number to confirm). The action
// checks the role again and refuses the current version or a busy one. Making a version current
// goes through the cutover checklist (components/cutover/CutoverChecklist.tsx).
import { useActionState } from "react";
import { deleteVersion } from "@/app/(app)/versions/actions";

export function DeleteVersionForm({ version }: { version: number }) {
  const [state, formAction, pending] = useActionState(deleteVersion, null);
  const failed = state && !state.ok ? state : null;
  return (
    <details style={{ display: "inline-block" }}>
      <summary className="btn btn-small" data-testid={`delete-version-${version}`}>
        Delete…
      </summary>
      <form action={formAction} style={{ marginTop: 8 }}>
        <input type="hidden" name="version" value={version} />
        <p className="field-hint" style={{ maxWidth: 360 }}>
          Deletes version {version}&apos;s allocations, unmatched sells, inventory snapshots and review items (with their history).
          Trades are not touched; its runs stay in the history.
        </p>
        <div className="field">
          <label htmlFor={`confirm-${version}`}>Type {version} to confirm</label>
          <input id={`confirm-${version}`} name="confirm" inputMode="numeric" autoComplete="off" required />
          {failed?.fieldErrors?.confirm ? <p className="field-error">{failed.fieldErrors.confirm}</p> : null}
        </div>
        <button type="submit" className="btn btn-danger btn-small" disabled={pending}>
          {pending ? "Deleting…" : `Delete version ${version}`}
        </button>
        {failed && !failed.fieldErrors ? (
          <p className="alert-error" role="alert">
            {failed.error}
          </p>
        ) : null}
      </form>
    </details>
  );
}
