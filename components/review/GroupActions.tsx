"use client";
// Acting on a whole group of open items at once (claim, assign, resolve, dismiss).
import { BulkActionForm } from "./BulkActionForm";

export function GroupActions(props: { refs: string[]; reviewers: { id: number; email: string }[]; currentUserId: number; testId: string }) {
  if (props.refs.length === 0) return <span className="muted">no open items</span>;
  return (
    <details>
      <summary className="link-button" data-testid={`${props.testId}-toggle`}>
        Act on {props.refs.length} open
      </summary>
      <BulkActionForm {...props} ops={["dismiss", "resolve", "claim", "assign"]} />
    </details>
  );
}
