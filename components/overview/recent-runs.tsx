import Link from "next/link";
import { DateTime } from "@/components/format/date-time";
import type { RecentRun } from "@/db/queries/overview";
import { formatCount } from "@/lib/format/decimal";

const TONE: Record<string, string> = { succeeded: "badge-ok", failed: "badge-critical", cancelled: "badge-warn", running: "badge-medium", queued: "badge-low" };

export function RecentRuns({ runs }: { runs: RecentRun[] }) {
  return (
    <section className="card">
      <h2>Latest runs</h2>
      {runs.length === 0 ? (
        <p className="muted">No run yet. An admin starts one on <Link href="/runs">Runs</Link>.</p>
      ) : (
        <div className="table-wrap">
        <table className="table">
          <thead>
            <tr><th>Run</th><th>Version</th><th>Status</th><th>Finished</th><th className="num">Allocations</th><th className="num">Unmatched</th></tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id}>
                <td><Link href={`/runs/${r.id}`}>#{r.id}</Link> <span className="muted">{r.mode}</span></td>
                <td>v{r.version}</td>
                <td><span className={`badge ${TONE[r.status] ?? ""}`}>{r.status}</span></td>
                <td>{r.finishedAt ? <DateTime value={r.finishedAt} /> : <span className="muted">—</span>}</td>
                <td className="num">{formatCount(r.allocationsWritten)}</td>
                <td className="num">{formatCount(r.unmatchedSells)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
      <p style={{ marginBottom: 0 }}><Link href="/runs">All runs</Link></p>
    </section>
  );
}
