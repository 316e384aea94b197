"use client";
// The cutover checklist of one version (seed step 5): each item with its state, a button to run
// the validation, and "Make current", which the server allows only when every item holds, or
// with an override reason that is recorded.
import { useActionState, useState } from "react";
import { setCurrentVersion, validateVersion } from "@/app/(app)/versions/actions";
import type { ChecklistItem } from "@/lib/cutover/checklist";
import { OVERRIDE_REASON_MIN_LENGTH } from "@/lib/cutover/checklist";
import { FieldError, FormMessage } from "@/components/review/action-form";

export interface CutoverChecklistProps {
  version: number;
  /** Items as evaluated on the server (the backup item is decided by the checkbox). */
  items: ChecklistItem[];
  isAdmin: boolean;
  isCurrent: boolean;
}

export function CutoverChecklist({ version, items, isAdmin, isCurrent }: CutoverChecklistProps) {
  const [validateState, validateAction, validating] = useActionState(validateVersion, null);
  const [makeState, makeAction, making] = useActionState(setCurrentVersion, null);
  const [backup, setBackup] = useState(false);
  const [override, setOverride] = useState(false);
  const shown = items.map((i) => (i.key === "backup_acknowledged" ? { ...i, passed: backup, detail: backup ? "Acknowledged." : i.detail } : i));
  const complete = shown.every((i) => i.passed);

  return (
    <div className="stack" data-testid="cutover-checklist" data-version={version}>
      <ol className="checklist" style={{ listStyle: "none", paddingLeft: 0 }}>
        {shown.map((item) => (
          <li key={item.key} data-testid={`check-${item.key}`} data-passed={item.passed ? "true" : "false"} style={{ marginBottom: 8 }}>
            <span className={`badge ${item.passed ? "badge-ok" : "badge-critical"}`}>{item.passed ? "done" : "open"}</span> <strong>{item.label}</strong>
            <div className="muted">{item.detail}</div>
          </li>
        ))}
      </ol>

      {isAdmin ? (
        <>
          <form action={validateAction}>
            <input type="hidden" name="version" value={version} />
            <button type="submit" className="btn" disabled={validating} data-testid="run-validation">
              {validating ? "Validating…" : `Validate version ${version}`}
            </button>
            <FormMessage state={validateState} testId="validation" />
          </form>

          <form action={makeAction} className="stack" data-testid="make-current-form">
            <input type="hidden" name="version" value={version} />
            <label>
              <input type="checkbox" name="backupAcknowledged" checked={backup} onChange={(e) => setBackup(e.target.checked)} data-testid="backup-acknowledged" />{" "}
              I confirm a backup of the database was taken before this cutover.
            </label>
            {!complete ? (
              <label>
                <input type="checkbox" checked={override} onChange={(e) => setOverride(e.target.checked)} data-testid="override-toggle" /> Override the
                incomplete checklist (admin; the reason is recorded)
              </label>
            ) : null}
            {!complete && override ? (
              <div className="field">
                <label htmlFor={`override-reason-${version}`}>Reason for the override</label>
                <textarea id={`override-reason-${version}`} name="overrideReason" rows={3} minLength={OVERRIDE_REASON_MIN_LENGTH} required />
                <FieldError state={makeState} name="overrideReason" />
              </div>
            ) : null}
            <div>
              <button
                type="submit"
                className="btn btn-primary"
                disabled={making || isCurrent || (!complete && !override)}
                data-testid={`make-current-${version}`}
              >
                {isCurrent ? `Version ${version} is current` : making ? "Switching…" : `Make version ${version} current`}
              </button>
            </div>
            <FormMessage state={makeState} testId="make-current" />
          </form>
        </>
      ) : null}
    </div>
  );
}
