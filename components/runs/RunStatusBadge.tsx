import type { RunStatus } from "@/db/queries/runs";
import { STATUS_BADGE } from "./format";

export function RunStatusBadge({ status, cancelRequested }: { status: RunStatus; cancelRequested?: boolean }) {
  const s = STATUS_BADGE[status] ?? { label: status, badge: "" };
  const label = cancelRequested && (status === "running" || status === "queued") ? `${s.label} (cancelling)` : s.label;
  return (
    <span className={`badge ${s.badge}`} data-testid="run-status" data-status={status}>
      {label}
    </span>
  );
}
