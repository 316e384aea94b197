// One allocation version's health, large and readable: the figures of v_allocation_health with a
// link into every page that explains them.
import Link from "next/link";
import { DateTime } from "@/components/format/date-time";
import { Money } from "@/components/format/money";
import type { HealthStatus, VersionHealth } from "@/db/queries/overview";
import { formatCount } from "@/lib/format/decimal";
import styles from "./overview.module.css";

const STATUS: Record<HealthStatus, { label: string; badge: string }> = {
  healthy: { label: "Healthy", badge: "badge-ok" },
  minor_issues: { label: "Minor issues", badge: "badge-low" },
  needs_review: { label: "Needs review", badge: "badge-high" },
  computing: { label: "Computing", badge: "badge-warn" },
  last_run_failed: { label: "Last run failed", badge: "badge-critical" },
};

export function VersionHealthCard({ health: v, isCurrent }: { health: VersionHealth; isCurrent: boolean }) {
  const status = STATUS[v.healthStatus] ?? { label: v.healthStatus, badge: "" };
  const q = `version=${v.version}`;
  return (
    <section className={`card ${isCurrent ? styles.current : ""}`} aria-label={`Version ${v.version}`} data-testid="version-card">
      <div className={styles.cardHeader}>
        <h2>Version {v.version}</h2>
        <span>
          <span className="badge" data-testid="version-method" title="Lot-selection method" style={{ marginRight: 6 }}>
            {(v.method ?? "fifo").toUpperCase()}
          </span>
          {isCurrent && <span className="badge" style={{ marginRight: 6 }}>current</span>}
          <span className={`badge ${status.badge}`} data-testid="health-status">{status.label}</span>
        </span>
      </div>
      <div className={styles.pnlRow}>
        <Figure label="New PnL (USD)" big>
          <Money value={v.newPnlUsd} />
        </Figure>
        <Figure label="Old PnL (USD)">
          <Money value={v.oldPnlUsd} />
        </Figure>
        <Figure label="New − old (USD)">
          <Link href={`/compare?${q}`}><Money value={v.pnlDifferenceUsd} /></Link>
        </Figure>
      </div>
      <div className="stats">
        <Figure label="Sells fully matched">{formatCount(v.sellsFullyMatched)}</Figure>
        <Figure label="Partly matched">
          <Link href={`/unmatched?${q}`}>{formatCount(v.sellsPartiallyMatched)}</Link>
        </Figure>
        <Figure label="Not matched">
          <Link href={`/unmatched?${q}`}>{formatCount(v.sellsUnmatched)}</Link>
        </Figure>
        <Figure label="Unmatched notional (USD)">
          <Money value={v.unmatchedNotionalUsd} signed={false} />
        </Figure>
      </div>
      <div className={styles.reviews}>
        <span className="stat-label">Open review items</span>
        <Link href={`/review?${q}`} className={styles.reviewLink} data-testid="open-reviews">
          <strong>{formatCount(v.openReviewItems)}</strong>
          <span className="badge badge-critical">{formatCount(v.openCritical)} critical</span>
          <span className="badge badge-high">{formatCount(v.openHigh)} high</span>
          <span className="badge badge-medium">{formatCount(v.openMedium)} medium</span>
          <span className="badge badge-low">{formatCount(v.openLow)} low</span>
        </Link>
      </div>
      <p className="muted" style={{ fontSize: 13, marginTop: 12 }}>
        {formatCount(v.symbols)} symbols · {formatCount(v.allocations)} allocations ·{" "}
        {v.lastRunId !== null ? (
          <>
            last run <Link href={`/runs/${v.lastRunId}`}>#{v.lastRunId}</Link> {v.lastRunStatus}
            {v.lastRunFinishedAt && <> at <DateTime value={v.lastRunFinishedAt} /></>}
          </>
        ) : (
          "no run yet"
        )}
      </p>
      <p className={styles.links}>
        <Link href={`/pnl?${q}`}>PnL by symbol</Link>
        <Link href={`/discrepancies?${q}`}>Discrepancies</Link>
        <Link href={`/unmatched?${q}`}>Unmatched sells</Link>
        <Link href={`/allocations?${q}`}>Allocations</Link>
        <Link href={`/compare?${q}`}>Compare charts</Link>
      </p>
    </section>
  );
}

function Figure({ label, children, big }: { label: string; children: React.ReactNode; big?: boolean }) {
  return (
    <div className="stat">
      <span className={`stat-value ${big ? styles.big : ""}`}>{children}</span>
      <span className="stat-label">{label}</span>
    </div>
  );
}
