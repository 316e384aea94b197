// The auditor's trail of one item: every change, by whom (a person or a run, linked), when, the
// status it moved from and to, and the notes and details (resolution, reason, assignee, manual buy).
import Link from "next/link";
import type { HistoryRow } from "@/db/review/item";
import { HISTORY_ACTION_LABELS, STATUS_LABELS, type ReviewStatus, resolutionLabel } from "@/lib/review/workflow";
import { formatUtcShort } from "@/lib/review/time";

function detailsText(details: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof details.resolutionType === "string") parts.push(resolutionLabel(details.resolutionType));
  if (typeof details.reason === "string") parts.push(`Reason: ${resolutionLabel(details.reason)}`);
  if (typeof details.assigneeEmail === "string") parts.push(`To ${details.assigneeEmail}`);
  if (details.manualTradeId !== undefined && (details.manualBuy === "keep" || details.manualBuy === "void")) {
    parts.push(`Manual buy #${String(details.manualTradeId)} ${details.manualBuy === "void" ? "voided" : "kept"}`);
  } else if (details.manualTradeId !== undefined) {
    parts.push(
      `Manual buy #${String(details.manualTradeId)}: ${String(details.size)} at ${String(details.price)}, fee ${String(
        details.feeUsd ?? "0",
      )}, ${String(details.orderTime ?? "")}`,
    );
  }
  return parts.join(" · ");
}

const status = (s: string | null) => (s ? (STATUS_LABELS[s as ReviewStatus] ?? s) : "new");

export function ItemHistory({ history }: { history: HistoryRow[] }) {
  return (
    <section className="card" aria-label="History" data-testid="item-history">
      <h2>History</h2>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th>When (UTC)</th>
              <th>Who</th>
              <th>What</th>
              <th>Status</th>
              <th>Notes</th>
            </tr>
          </thead>
          <tbody>
            {history.map((h) => (
              <tr key={h.id} data-testid="history-row">
                <td>{formatUtcShort(h.at)}</td>
                <td>
                  {h.computation_id !== null ? (
                    <Link href={`/runs/${h.computation_id}`}>{h.actor_label}</Link>
                  ) : (
                    (h.actor_email ?? h.actor_label)
                  )}
                </td>
                <td>{HISTORY_ACTION_LABELS[h.action] ?? h.action}</td>
                <td>
                  {status(h.from_status)} → {status(h.to_status)}
                </td>
                <td>
                  {h.notes ? <div>{h.notes}</div> : null}
                  {detailsText(h.details ?? {}) ? <div className="muted">{detailsText(h.details ?? {})}</div> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
