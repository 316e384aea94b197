// The review items a run opened and closed (manual_review_queue opened_by/closed_by_computation_id),
// and any other review changes it made (manual_review_history.computation_id).
import Link from "next/link";
import type { RunReviewChanges, RunReviewItem } from "@/db/queries/runs";
import { formatTimestamp } from "./format";

export function RunReviewItems({ version, changes }: { version: number; changes: RunReviewChanges }) {
  return (
    <section className="card" aria-label="Review items" data-testid="run-review-items">
      <h2>Review items</h2>
      <p className="muted">
        Items this run opened or closed in the review queue of version {version}.{" "}
        <Link href={`/review?version=${version}`}>Open the review queue</Link>
        {changes.truncated ? " · only the first 200 of each list are shown" : ""}
      </p>
      <h3>Opened ({changes.opened.length})</h3>
      <ItemTable items={changes.opened} testId="run-items-opened" />
      <h3>Closed ({changes.closed.length})</h3>
      <ItemTable items={changes.closed} testId="run-items-closed" />
      {changes.otherChanges.length > 0 ? (
        <>
          <h3>Other changes ({changes.otherChanges.length})</h3>
          <ul>
            {changes.otherChanges.map((c, i) => (
              <li key={i}>
                <Link href={`/review/${c.item_id}`}>Item #{c.item_id}</Link>: {c.action} ({c.from_status ?? "new"} → {c.to_status}) at {formatTimestamp(c.at)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function ItemTable({ items, testId }: { items: RunReviewItem[]; testId: string }) {
  if (items.length === 0) return <p className="muted">None.</p>;
  return (
    <div className="table-wrap">
      <table className="table" data-testid={testId}>
        <thead>
          <tr>
            <th className="num">Item</th>
            <th className="num">Trade</th>
            <th>Symbol</th>
            <th>Issue</th>
            <th>Severity</th>
            <th>Status now</th>
            <th>Reason</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id}>
              <td className="num">
                <Link href={`/review/${item.id}`}>#{item.id}</Link>
              </td>
              <td className="num">
                <Link href={`/trades/${item.trade_id}`}>{item.trade_id}</Link>
              </td>
              <td>{item.symbol}</td>
              <td>{item.issue_type.replace(/_/g, " ")}</td>
              <td>
                <span className={`badge badge-${item.severity}`}>{item.severity}</span>
              </td>
              <td>{item.status.replace(/_/g, " ")}</td>
              <td>{item.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
