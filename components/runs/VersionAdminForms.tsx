"use client";
// Admin controls on the versions page: make a version current; delete one (type its number to
// confirm). The actions check the role again and refuse the current version or a busy one.
import { useActionState } from "react";
import { deleteVersion, setCurrentVersion } from "@/app/(app)/versions/actions";

export function MakeCurrentButton({ version }: { version: number }) {
  const [state, formAction, pending] = useActionState(setCurrentVersion, null);
  return (
    <form action={formAction} style={{ display: "inline" }}>
      <input type="hidden" name="version" value={version} />
      <button type="submit" className="btn btn-small" disabled={pending} data-testid={`make-current-${version}`}>
        Make current
      </button>
      {state && !state.ok ? (
        <span className="field-error" role="alert">
          {" "}
          {state.error}
        </span>
      ) : null}
    </form>
  );
}

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
