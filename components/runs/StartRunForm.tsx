"use client";
// Start a run (admin): all symbols or some, an existing or a new version, full or incremental,
// and for a new version its lot-selection method (an existing version keeps its own).
// The action only queues the run and redirects to its page; the work runs in the background.
import { useActionState } from "react";
import { startRun } from "@/app/(app)/runs/actions";

export interface StartRunFormProps {
  symbols: string[];
  versions: { version: number; isCurrent: boolean; activeRunId: number | null; method: string | null }[];
  /** null when no number is left above the largest version */
  nextVersion: number | null;
  defaultVersion: number | "new";
}

export function StartRunForm({ symbols, versions, nextVersion, defaultVersion }: StartRunFormProps) {
  const [state, formAction, pending] = useActionState(startRun, null);
  const failed = state && !state.ok ? state : null;
  const scope = failed?.values?.scope === "chosen" ? "chosen" : "all";
  const errors = failed?.fieldErrors ?? {};
  return (
    <form action={formAction} aria-label="Start a run" data-testid="start-run-form">
      {failed ? (
        <p className="alert-error" role="alert" data-testid="start-run-error">
          {failed.error}
        </p>
      ) : null}
      <div className="toolbar" style={{ alignItems: "flex-start" }}>
        <div className="field">
          <label htmlFor="run-version">Version</label>
          <select id="run-version" name="version" defaultValue={String(failed?.values?.version ?? defaultVersion)}>
            {versions.map((v) => (
              <option key={v.version} value={v.version}>
                Version {v.version}
                {v.method ? ` · ${v.method.toUpperCase()}` : ""}
                {v.isCurrent ? " (current)" : ""}
                {v.activeRunId ? ` – run #${v.activeRunId} active` : ""}
              </option>
            ))}
            {nextVersion !== null ? <option value="new">New version ({nextVersion})</option> : null}
          </select>
          {errors.version ? <p className="field-error">{errors.version}</p> : null}
        </div>
        <div className="field">
          <label htmlFor="run-mode">Mode</label>
          <select id="run-mode" name="mode" defaultValue={failed?.values?.mode ?? "full"}>
            <option value="full">Full recompute</option>
            <option value="incremental">Incremental (new trades only)</option>
          </select>
          {errors.mode ? <p className="field-error">{errors.mode}</p> : null}
        </div>
        <div className="field">
          <label htmlFor="run-method">Lot selection</label>
          <select id="run-method" name="method" defaultValue={failed?.values?.method ?? ""} aria-invalid={errors.method ? true : undefined}>
            <option value="">The version&apos;s own (new: FIFO)</option>
            <option value="fifo">FIFO: oldest lot first</option>
            <option value="lifo">LIFO: newest lot first</option>
            <option value="hifo">HIFO: highest buy price first</option>
          </select>
          {errors.method ? (
            <p className="field-error" data-testid="run-method-error">{errors.method}</p>
          ) : (
            <p className="field-hint">Fixed by a version&apos;s first run.</p>
          )}
        </div>
        <fieldset className="field" style={{ border: 0, padding: 0, margin: 0 }}>
          <legend style={{ fontWeight: 600, fontSize: 13 }}>Symbols</legend>
          <label>
            <input type="radio" name="scope" value="all" defaultChecked={scope === "all"} /> All
            symbols ({symbols.length})
          </label>
          <label>
            <input type="radio" name="scope" value="chosen" defaultChecked={scope === "chosen"} data-testid="scope-chosen" />{" "}
            Chosen symbols
          </label>
        </fieldset>
        <div className="field">
          <label htmlFor="run-symbols">Choose symbols</label>
          <select
            id="run-symbols"
            name="symbols"
            multiple
            size={Math.min(Math.max(symbols.length, 3), 8)}
            aria-invalid={errors.symbols ? true : undefined}
            defaultValue={failed?.values?.symbols ? failed.values.symbols.split(",") : []}
          >
            {symbols.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
          {errors.symbols ? <p className="field-error">{errors.symbols}</p> : <p className="field-hint">Used with “Chosen symbols”; Ctrl/⌘-click for several.</p>}
        </div>
      </div>
      <button type="submit" className="btn btn-primary" disabled={pending} data-testid="start-run">
        {pending ? "Starting…" : "Start run"}
      </button>
    </form>
  );
}
