"use client";
// The compare page's choices, as a GET form: every change submits, so the URL holds the view.
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";

export interface CompareChoice {
  id: string;
  label: string;
  value: string;
  options: { value: string; label: string }[];
}

export function CompareControls({ choices }: { choices: CompareChoice[] }) {
  const router = useRouter();
  const pathname = usePathname();
  const [pending, startTransition] = useTransition();
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  return (
    <form
      className="toolbar"
      method="get"
      aria-busy={pending}
      data-testid="compare-controls"
      data-ready={ready ? "true" : undefined}
      onChange={(e) => {
        const form = e.currentTarget;
        const params = new URLSearchParams();
        for (const [k, v] of new FormData(form)) if (typeof v === "string" && v) params.set(k, v);
        startTransition(() => router.push(`${pathname}?${params.toString()}`, { scroll: false }));
      }}
    >
      {choices.map((c) => (
        <div className="field" key={c.id}>
          <label htmlFor={`compare-${c.id}`}>{c.label}</label>
          <select id={`compare-${c.id}`} name={c.id} defaultValue={c.value} key={c.value}>
            {c.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
      ))}
      <noscript>
        <button type="submit" className="btn">Show</button>
      </noscript>
      {pending && <span className="muted">Loading…</span>}
    </form>
  );
}
