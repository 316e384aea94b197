// Severity, status and dust as badges, the same everywhere on the review pages.
import { STATUS_LABELS, type ReviewStatus } from "@/lib/review/workflow";

export function SeverityBadge({ severity }: { severity: string }) {
  return <span className={`badge badge-${severity}`}>{severity}</span>;
}

const STATUS_CLASS: Record<ReviewStatus, string> = {
  pending: "badge badge-warn",
  in_review: "badge badge-medium",
  resolved: "badge badge-ok",
  dismissed: "badge",
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={STATUS_CLASS[status as ReviewStatus] ?? "badge"} data-testid="status-badge">
      {STATUS_LABELS[status as ReviewStatus] ?? status}
    </span>
  );
}

export function DustBadge() {
  return (
    <span className="badge badge-low" title="Unmatched notional below the dust size (fifo_settings.dust_notional_usd)">
      dust
    </span>
  );
}
