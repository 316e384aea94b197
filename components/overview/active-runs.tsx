// Runs queued or executing right now, with their progress, linking to the run page.
import Link from "next/link";
import { DateTime } from "@/components/format/date-time";
import type { ActiveRun } from "@/db/queries/overview";
import { formatCount } from "@/lib/format/decimal";

export function ActiveRuns({ runs }: { runs: ActiveRun[] }) {
  if (runs.length === 0) return null;
  return (
    <div className="alert-info" role="status" data-testid="active-runs" style={{ marginBottom: 16 }}>
      {runs.map((r) => {
        const p = r.progress ?? {};
        const pct = p.tradesTotal ? Math.min(100, Math.floor(((p.tradesDone ?? 0) / p.tradesTotal) * 100)) : null;
        return (
          <div key={r.id}>
            <strong>
              <Link href={`/runs/${r.id}`}>Run #{r.id}</Link>
            </strong>{" "}
            is {r.status} for version {r.version}
            {p.phase ? ` (${p.phase}${pct !== null ? `, ${pct}%` : ""}` : ""}
            {p.phase && p.tradesTotal ? `, ${formatCount(p.tradesDone ?? 0)} of ${formatCount(p.tradesTotal)} trades)` : p.phase ? ")" : ""}
            {" "}· started by {r.startedBy} <DateTime value={r.startedAt ?? r.createdAt} />. Figures below update when it finishes.
          </div>
        );
      })}
    </div>
  );
}
