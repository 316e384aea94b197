// The review workflow as data: which action may move an item from which status to which, and the
// resolution types and dismissal reasons a reviewer can choose. Pure: no I/O, no framework.
// pending -> in_review (claimed/assigned) -> resolved | dismissed, and back to pending by reopening.

export const REVIEW_STATUSES = ["pending", "in_review", "resolved", "dismissed"] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export const ISSUE_TYPES = ["unmatched_sell", "invalid_trade", "pnl_discrepancy"] as const;
export type IssueType = (typeof ISSUE_TYPES)[number];

/** Strongest first: the queue's default order puts critical items on top. */
export const SEVERITIES = ["critical", "high", "medium", "low"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const REVIEW_ACTIONS = ["claim", "take_over", "assign", "release", "resolve", "dismiss", "reopen"] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

export interface Transition {
  from: readonly ReviewStatus[];
  to: ReviewStatus;
  /** Past tense, as written into manual_review_history.action. */
  historyAction: string;
}

/** The whole state machine. Anything not listed here is refused. */
export const TRANSITIONS: Record<ReviewAction, Transition> = {
  claim: { from: ["pending"], to: "in_review", historyAction: "claimed" },
  // Taking over an item another reviewer claimed is explicit and kept in the history.
  take_over: { from: ["in_review"], to: "in_review", historyAction: "taken_over" },
  // Assigning also hands an item someone is already reviewing over to another reviewer.
  assign: { from: ["pending", "in_review"], to: "in_review", historyAction: "assigned" },
  release: { from: ["in_review"], to: "pending", historyAction: "released" },
  resolve: { from: ["pending", "in_review"], to: "resolved", historyAction: "resolved" },
  dismiss: { from: ["pending", "in_review"], to: "dismissed", historyAction: "dismissed" },
  reopen: { from: ["resolved", "dismissed"], to: "pending", historyAction: "reopened" },
};

/**
 * Once an item is in review, only its assignee may change it with these actions; anyone else
 * takes it over first (recorded). Admins are exempt.
 */
export const ASSIGNEE_ONLY_ACTIONS = ["assign", "release", "resolve", "dismiss"] as const satisfies readonly ReviewAction[];

export function assigneeOnly(action: ReviewAction): boolean {
  return (ASSIGNEE_ONLY_ACTIONS as readonly string[]).includes(action);
}

export function claimedByOtherMessage(itemId: number, assigneeEmail: string | null): string {
  return `Item #${itemId} is being reviewed by ${assigneeEmail ?? "another reviewer"}; take it over first (this is recorded), or ask an admin.`;
}

export function canTransition(action: ReviewAction, status: string): boolean {
  return (TRANSITIONS[action].from as readonly string[]).includes(status);
}

export const OPEN_STATUSES = ["pending", "in_review"] as const satisfies readonly ReviewStatus[];

/** Why an action is refused for an item in `status`, in the reviewer's words. */
export function refusalMessage(action: ReviewAction, status: string): string {
  const label = STATUS_LABELS[status as ReviewStatus] ?? status;
  switch (action) {
    case "claim":
      return status === "in_review"
        ? "This item is already being reviewed; take it over instead."
        : `Only pending items can be claimed; this one is ${label}.`;
    case "assign":
    case "resolve":
    case "dismiss":
      return `This item is already ${label}; reopen it first.`;
    case "release":
      return `Only items in review can be released; this one is ${label}.`;
    case "take_over":
      return `Only items in review can be taken over; this one is ${label}.`;
    case "reopen":
      return `Only resolved or dismissed items can be reopened; this one is ${label}.`;
  }
}

export const STATUS_LABELS: Record<ReviewStatus, string> = {
  pending: "pending",
  in_review: "in review",
  resolved: "resolved",
  dismissed: "dismissed",
};

export const ISSUE_TYPE_LABELS: Record<IssueType, string> = {
  unmatched_sell: "Unmatched sell",
  invalid_trade: "Invalid trade",
  pnl_discrepancy: "PnL discrepancy",
};

/** What "resolved" meant. `auto_resolved` is written by runs only (db/compute/review-sync.ts). */
export const RESOLUTION_TYPES = {
  cost_basis_recorded: {
    label: "Missing cost basis recorded (manual buy)",
    issueTypes: ["unmatched_sell"],
  },
  explained: { label: "Accepted as explained", issueTypes: ["pnl_discrepancy"] },
  corrected_at_source: {
    label: "Corrected in the bot's data",
    issueTypes: ["unmatched_sell", "invalid_trade", "pnl_discrepancy"],
  },
  accepted: { label: "Accepted as is", issueTypes: ["unmatched_sell", "invalid_trade", "pnl_discrepancy"] },
} as const satisfies Record<string, { label: string; issueTypes: readonly IssueType[] }>;
export type ResolutionType = keyof typeof RESOLUTION_TYPES;

/** Resolution types chosen in the plain resolve form; cost_basis_recorded has its own form. */
export const PLAIN_RESOLUTION_TYPES = ["explained", "corrected_at_source", "accepted"] as const satisfies readonly ResolutionType[];
export type PlainResolutionType = (typeof PLAIN_RESOLUTION_TYPES)[number];

export function resolutionAllowedFor(type: ResolutionType, issueType: string): boolean {
  return (RESOLUTION_TYPES[type].issueTypes as readonly string[]).includes(issueType);
}

/** Why an item was dismissed (stored in resolution_type of a dismissed item). */
export const DISMISS_REASONS = {
  dust: "Dust: too small to matter",
  not_a_problem: "Not a problem",
  duplicate: "Duplicate of another item",
  out_of_scope: "Out of scope (e.g. test account, transferred coins)",
  other: "Other (explain in the notes)",
} as const;
export type DismissReason = keyof typeof DISMISS_REASONS;
export const DISMISS_REASON_KEYS = Object.keys(DISMISS_REASONS) as DismissReason[];

/** Label of a stored resolution_type, whichever status wrote it. */
export function resolutionLabel(type: string | null): string {
  if (!type) return "";
  if (type === "auto_resolved") return "Resolved automatically by a run";
  if (type === "cause_accepted") return "Settled: a reviewer accepted its cause for the version";
  if (type in RESOLUTION_TYPES) return RESOLUTION_TYPES[type as ResolutionType].label;
  if (type in DISMISS_REASONS) return DISMISS_REASONS[type as DismissReason];
  return type;
}

export const HISTORY_ACTION_LABELS: Record<string, string> = {
  opened: "Opened",
  reopened: "Reopened",
  auto_resolved: "Closed automatically",
  claimed: "Claimed",
  taken_over: "Taken over",
  assigned: "Assigned",
  released: "Released",
  resolved: "Resolved",
  dismissed: "Dismissed",
  cause_accepted: "Settled by an accepted cause",
  cause_undone: "Reopened: acceptance of its cause undone",
};
