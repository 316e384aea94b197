"use client";
// Acting on a whole group of open items at once (claim, assign, resolve, dismiss). The form names
// the group and when it was seen, not its items: the server finds them (at most 5,000 per action).
import { BulkActionForm } from "./BulkActionForm";

export interface GroupRef {
  version: number;
  symbol: string;
  type: string;
  cause: string;
  month: string | null;
  /** open_as_of of the group's row */
  asOf: number | null;
  openItems: number;
}

export function GroupActions(props: { group: GroupRef; reviewers: { id: number; email: string }[]; currentUserId: number; testId: string }) {
  const { group } = props;
  if (group.openItems === 0 || group.asOf === null) return <span className="muted">no open items</span>;
  const fields = {
    version: String(group.version),
    symbol: group.symbol,
    type: group.type,
    cause: group.cause,
    month: group.month ?? "",
    asOf: String(group.asOf),
  };
  return (
    <details>
      <summary className="link-button" data-testid={`${props.testId}-toggle`}>
        Act on {group.openItems} open
      </summary>
      <BulkActionForm
        refs={[]}
        group={{ fields, count: group.openItems }}
        reviewers={props.reviewers}
        currentUserId={props.currentUserId}
        testId={props.testId}
        ops={["dismiss", "resolve", "claim", "assign"]}
      />
    </details>
  );
}
