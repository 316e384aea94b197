import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { allocationHealth, type AllocationHealth, type HealthStatus } from "@/db/queries/health";
import { requireUser } from "@/lib/auth/guard";

export const metadata: Metadata = { title: "Overview" };
export const dynamic = "force-dynamic";

// A first overview: one card per allocation version from v_allocation_health.
export default async function OverviewPage() {
  await requireUser("viewer", { next: "/" });
  const versions = await allocationHealth(await getDb());
  return (
    <main className="page">
      <div className="page-header">
        <div>
          <h1>Overview</h1>
          <p className="muted">Health of each allocation version.</p>
        </div>
      </div>
      {versions.length === 0 ? (
        <div className="card empty">No allocations computed yet.</div>
      ) : (
        <div className="cards">
          {versions.map((v) => (
            <VersionCard key={v.allocationVersion} health={v} />
          ))}
        </div>
      )}
    </main>
  );
}

const STATUS: Record<HealthStatus, { label: string; badge: string }> = {
  healthy: { label: "Healthy", badge: "badge-ok" },
  minor_issues: { label: "Minor issues", badge: "badge-low" },
  needs_review: { label: "Needs review", badge: "badge-high" },
  computing: { label: "Computing", badge: "badge-warn" },
  last_run_failed: { label: "Last run failed", badge: "badge-critical" },
};

function VersionCard({ health: v }: { health: AllocationHealth }) {
  const status = STATUS[v.healthStatus] ?? { label: v.healthStatus, badge: "" };
  return (
    <section className="card" aria-label={`Version ${v.allocationVersion}`} data-testid="version-card">
      <div className="card-header">
        <h2>Version {v.allocationVersion}</h2>
        <span className={`badge ${status.badge}`}>{status.label}</span>
      </div>
      <div className="stats">
        <Stat label="New PnL" value={usd(v.newPnlUsd)} tone={tone(v.newPnlUsd)} />
        <Stat label="Old PnL" value={usd(v.oldPnlUsd)} tone={tone(v.oldPnlUsd)} />
        <Stat label="Difference" value={usd(v.pnlDifferenceUsd)} tone={tone(v.pnlDifferenceUsd)} />
        <Stat label="Sells" value={count(v.sellsTotal)} />
        <Stat label="Unmatched" value={count(v.sellsUnmatched + v.sellsPartiallyMatched)} />
        <Stat label="Open reviews" value={count(v.openReviewItems)} />
      </div>
      <p className="muted" style={{ marginTop: 12 }}>
        {count(v.symbols)} symbols · {count(v.allocations)} allocations
        {v.openCritical + v.openHigh > 0 ? ` · ${v.openCritical} critical, ${v.openHigh} high` : ""}
        {v.lastRunId !== null ? ` · last run #${v.lastRunId} ${v.lastRunStatus ?? ""}` : ""}
      </p>
      <p style={{ margin: 0 }}>
        <Link href={`/pnl?version=${v.allocationVersion}`}>PnL by symbol</Link> ·{" "}
        <Link href={`/review?version=${v.allocationVersion}`}>Review queue</Link>
      </p>
    </section>
  );
}

function Stat({ label, value, tone }: { label: string; value: string; tone?: string }) {
  return (
    <div className="stat">
      <span className={`stat-value ${tone ?? ""}`}>{value}</span>
      <span className="stat-label">{label}</span>
    </div>
  );
}

// Display only: the exact decimal strings are rounded to cents for reading.
const usdFormat = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 2 });
const countFormat = new Intl.NumberFormat("en-US");

function usd(value: string): string {
  return usdFormat.format(Number(value));
}
function count(value: number): string {
  return countFormat.format(value);
}
function tone(value: string): string | undefined {
  return value.startsWith("-") ? "neg" : /[1-9]/.test(value) ? "pos" : undefined;
}
