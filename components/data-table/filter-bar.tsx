"use client";
// The filters above a DataTable. Selects apply at once; text, number and date fields apply on
// "Apply" (or Enter), so typing does not fire a request per key.
import { useEffect, useState } from "react";
import styles from "./data-table.module.css";

export type FilterSpec =
  | { id: string; label: string; type: "select"; options: { value: string; label: string }[]; allLabel?: string }
  | { id: string; label: string; type: "text" | "number" | "date"; placeholder?: string };

export function FilterBar(props: {
  filters: FilterSpec[];
  values: Record<string, unknown>;
  onApply: (values: Record<string, string | undefined>) => void;
  pending?: boolean;
}) {
  const initial = () =>
    Object.fromEntries(props.filters.map((f) => [f.id, props.values[f.id] === undefined ? "" : String(props.values[f.id])]));
  const [draft, setDraft] = useState<Record<string, string>>(initial);
  // A navigation (Back, a link) brings new values: show them.
  const signature = JSON.stringify(initial());
  useEffect(() => setDraft(JSON.parse(signature) as Record<string, string>), [signature]);

  const apply = (values: Record<string, string>) =>
    props.onApply(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.trim() === "" ? undefined : v.trim()])));
  const hasValues = Object.values(draft).some((v) => v !== "");

  return (
    <form
      className={`toolbar ${styles.filters}`}
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        apply(draft);
      }}
    >
      {props.filters.map((f) => (
        <div className="field" key={f.id}>
          <label htmlFor={`filter-${f.id}`}>{f.label}</label>
          {f.type === "select" ? (
            <select
              id={`filter-${f.id}`}
              name={f.id}
              value={draft[f.id] ?? ""}
              onChange={(e) => {
                const next = { ...draft, [f.id]: e.target.value };
                setDraft(next);
                apply(next);
              }}
            >
              <option value="">{f.allLabel ?? "All"}</option>
              {f.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          ) : (
            <input
              id={`filter-${f.id}`}
              name={f.id}
              type={f.type === "number" ? "text" : f.type}
              inputMode={f.type === "number" ? "numeric" : undefined}
              placeholder={f.placeholder}
              value={draft[f.id] ?? ""}
              onChange={(e) => setDraft({ ...draft, [f.id]: e.target.value })}
              size={f.type === "number" ? 10 : undefined}
            />
          )}
        </div>
      ))}
      <div className={styles.filterButtons}>
        <button type="submit" className="btn btn-primary btn-small" disabled={props.pending}>
          Apply
        </button>
        {hasValues && (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              const cleared = Object.fromEntries(props.filters.map((f) => [f.id, ""]));
              setDraft(cleared);
              apply(cleared);
            }}
          >
            Clear
          </button>
        )}
      </div>
    </form>
  );
}
