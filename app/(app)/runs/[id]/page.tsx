import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CancelRunButton } from "@/components/runs/CancelRunButton";
import { formatCount, formatDuration, formatTimestamp, isActiveStatus } from "@/components/runs/format";
import { progressPayload } from "@/components/runs/progress-payload";
import { RunProgressPanel } from "@/components/runs/RunProgressPanel";
import { RunReviewItems } from "@/components/runs/RunReviewItems";
import { runErrorForRole } from "@/components/runs/run-errors";
import { RunStatusBadge } from "@/components/runs/RunStatusBadge";
import { getDb } from "@/db/client";
import { versionMethod } from "@/db/compute/methods";
import { getRun, type RunRow } from "@/db/compute/runs";
import { runReviewChanges } from "@/db/queries/runs";
import { requireUser } from "@/lib/auth/guard";
import { roleAtLeast } from "@/lib/auth/roles";
import { idParam } from "@/lib/table/url-state";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  return { title: `Run #${(await params).id}` };
}

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser("viewer", { next: `/runs/${id}` });
  const runId = idParam(id);
  if (runId === undefined) notFound();
  const db = await getDb();
  const run = await getRun(db, runId);
  if (!run) notFound();
  const active = isActiveStatus(run.status);
  const isAdmin = roleAtLeast(user.role, "admin");
  const review = active ? null : await runReviewChanges(db, runId);
  // What the run was asked for, else the version's own method (FIFO for a version not fixed yet).
  const method = (run.method ?? (await versionMethod(db, run.allocation_version)) ?? "fifo").toUpperCase();

  return (
    <main className="page stack">
      <div className="page-header">
        <div>
          <h1>
            Run #{run.id} <RunStatusBadge status={run.status} cancelRequested={run.cancel_requested} />
          </h1>
          <p className="muted">
            Version {run.allocation_version} · {method} · {run.mode} · {run.symbols ? `${run.symbols.length} chosen symbols` : "all symbols"} ·
            started by {run.started_by}
          </p>
        </div>
        <div className="toolbar">
          {active && isAdmin ? <CancelRunButton runId={run.id} /> : null}
          <Link className="btn" href="/runs">
            All runs
          </Link>
        </div>
      </div>

      {active ? <RunProgressPanel initial={progressPayload(run)} /> : <Outcome run={run} />}

      <section className="card" aria-label="Details">
        <h2>Details</h2>
        <div className="stats" data-testid="run-details">
          <Fact label="Version" value={String(run.allocation_version)} />
          <Fact label="Mode" value={run.mode} />
          <Fact label="Lot selection" value={method} testId="run-method" />
          <Fact label="Queued" value={formatTimestamp(run.created_at)} />
          <Fact label="Started" value={formatTimestamp(run.started_at)} />
          <Fact label="Finished" value={formatTimestamp(run.finished_at)} />
          <Fact label="Duration" value={formatDuration(run.duration_ms)} />
          <Fact label="Trades read" value={formatCount(run.trades_read)} testId="run-trades-read" />
          <Fact label="Allocations" value={formatCount(run.allocations_written)} testId="run-allocations" />
          <Fact label="Unmatched sells" value={formatCount(run.unmatched_sells)} />
          <Fact label="Invalid trades" value={formatCount(run.invalid_trades)} />
          <Fact label="Review items opened" value={formatCount(run.review_items_opened)} />
          <Fact label="Review items closed" value={formatCount(run.review_items_closed)} />
        </div>
        <p className="muted" style={{ marginTop: 12 }}>
          Symbols: {run.symbols ? run.symbols.join(", ") : "all symbols with trades"}
          {run.worker_pid ? ` · server process ${run.worker_pid}` : ""}
        </p>
      </section>

      {run.errors.length > 0 ? (
        <section className="card" aria-label="Errors">
          <h2>Errors</h2>
          <ul data-testid="run-errors">
            {run.errors.map((e, i) => (
              <li key={i}>
                {e.symbol ? <strong>{e.symbol}: </strong> : null}
                {runErrorForRole(e.message, isAdmin)}
                {e.at ? <span className="muted"> ({formatTimestamp(e.at)})</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {review ? <RunReviewItems version={run.allocation_version} changes={review} /> : null}
    </main>
  );
}

function Outcome({ run }: { run: RunRow }) {
  if (run.status === "succeeded") {
    return (
      <p className="alert-success" role="status" data-testid="run-outcome">
        Succeeded in {formatDuration(run.duration_ms)}: {formatCount(run.trades_read)} trades read,{" "}
        {formatCount(run.allocations_written)} allocations written, {formatCount(run.unmatched_sells)} unmatched sells. Version{" "}
        {run.allocation_version} now holds these results. <Link href="/">See the overview</Link>.
      </p>
    );
  }
  if (run.status === "cancelled") {
    return (
      <p className="alert-info" role="status" data-testid="run-outcome">
        Cancelled. Nothing it computed was kept: version {run.allocation_version} has its previous allocations.
      </p>
    );
  }
  return (
    <p className="alert-error" role="status" data-testid="run-outcome">
      Failed. Nothing it computed was kept: version {run.allocation_version} has its previous allocations. See the errors below.
    </p>
  );
}

function Fact({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="stat">
      <span className="stat-value" style={{ fontSize: 16 }} data-testid={testId}>
        {value}
      </span>
      <span className="stat-label">{label}</span>
    </div>
  );
}
