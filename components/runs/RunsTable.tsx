// The run history (fifo_computation_log), newest first. Server component; paging links keep the
// other query parameters.
import Link from "next/link";
import type { RunListRow } from "@/db/queries/runs";
import { formatCount, formatDuration, formatSymbols, formatTimestamp } from "./format";
import { runErrorForRole } from "./run-errors";
import { RunStatusBadge } from "./RunStatusBadge";

/** `showErrorDetails`: admins read the raw error text; others a summary (run-errors.ts). */
export function RunsTable({ rows, showErrorDetails }: { rows: RunListRow[]; showErrorDetails: boolean }) {
  if (rows.length === 0) return <div className="card empty">No runs yet.</div>;
  return (
    <div className="table-wrap">
      <table className="table" data-testid="runs-table">
        <thead>
          <tr>
            <th>Run</th>
            <th>Status</th>
            <th className="num">Version</th>
            <th>Symbols</th>
            <th>Mode</th>
            <th>Started by</th>
            <th>Started</th>
            <th className="num">Duration</th>
            <th className="num">Trades</th>
            <th className="num">Allocations</th>
            <th className="num">Unmatched</th>
            <th>Errors</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-testid="run-row" data-run-id={r.id}>
              <td>
                <Link href={`/runs/${r.id}`}>#{r.id}</Link>
              </td>
              <td>
                <RunStatusBadge status={r.status} cancelRequested={r.cancel_requested} />
              </td>
              <td className="num">{r.allocation_version}</td>
              <td title={r.symbols?.join(", ") ?? "All symbols"}>{formatSymbols(r.symbols)}</td>
              <td>{r.mode}</td>
              <td>{r.started_by}</td>
              <td>{formatTimestamp(r.started_at ?? r.created_at)}</td>
              <td className="num">{formatDuration(r.duration_ms)}</td>
              <td className="num">{formatCount(r.trades_read)}</td>
              <td className="num">{formatCount(r.allocations_written)}</td>
              <td className="num">{formatCount(r.unmatched_sells)}</td>
              <td className={r.error_count ? "neg" : "muted"} title={r.first_error ? runErrorForRole(r.first_error, showErrorDetails) : undefined}>
                {r.error_count ? `${r.error_count}: ${truncate(runErrorForRole(r.first_error ?? "", showErrorDetails), 60)}` : "–"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function Pager({ page, pageSize, total, href }: { page: number; pageSize: number; total: number; href: (page: number) => string }) {
  const pages = Math.max(Math.ceil(total / pageSize), 1);
  if (pages <= 1) return null;
  return (
    <nav className="toolbar" aria-label="Pages" style={{ marginTop: 12 }}>
      {page > 1 ? (
        <Link className="btn btn-small" href={href(page - 1)}>
          ← Newer
        </Link>
      ) : null}
      <span className="muted">
        Page {page} of {pages} ({formatCount(total)} runs)
      </span>
      {page < pages ? (
        <Link className="btn btn-small" href={href(page + 1)}>
          Older →
        </Link>
      ) : null}
    </nav>
  );
}
