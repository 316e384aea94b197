"use server";
// Server actions of the review workflow. Each goes through authorizedAction (sign-in, role
// reviewer or admin, zod validation), sends the row_version the reviewer read, writes history in
// the same statement as the change (db/review/transitions.ts), and revalidates the review pages.
import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { recordManualCostBasis } from "@/db/review/cost-basis";
import { openItemsOfGroup } from "@/db/review/groups";
import { reopenReviewItem } from "@/db/review/reopen";
import { filterContext } from "@/db/review/source";
import {
  type Actor,
  type ChangeOutcome,
  type ReviewChange,
  changeReviewItem,
  changeReviewItems,
  describeOutcome,
} from "@/db/review/transitions";
import { type ActionResult, UserFacingError, authorizedAction } from "@/lib/auth/action";
import type { ReviewActionData, ReviewActionState } from "@/lib/review/action-state";
import { ReviewConflictError, ReviewRefusedError } from "@/lib/review/errors";
import {
  assignSchema,
  bulkAssignSchema,
  bulkClaimSchema,
  bulkDismissSchema,
  bulkReleaseSchema,
  bulkReopenSchema,
  bulkResolveSchema,
  claimSchema,
  dismissDustSchema,
  dismissSchema,
  type ItemRef,
  recordCostBasisSchema,
  releaseSchema,
  MAX_BULK_ITEMS,
  reopenSchema,
  resolveSchema,
  reviewGroupSchema,
  takeOverSchema,
} from "@/lib/review/schemas";
import type { DismissReason, ReviewAction } from "@/lib/review/workflow";

type Result = ActionResult<ReviewActionData>;

/** Domain refusals become messages for the form; anything else stays an unexpected error. */
async function asUserFacing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ReviewConflictError) throw new UserFacingError(error.message);
    if (error instanceof ReviewRefusedError) throw new UserFacingError(error.message, error.fieldErrors);
    throw error;
  }
}

function revalidateReview(tradeIds: number[] = []) {
  revalidatePath("/review", "layout");
  revalidatePath("/");
  for (const id of new Set(tradeIds)) revalidatePath(`/trades/${id}`);
}

const DONE: Record<ReviewAction, string> = {
  claim: "Claimed: the item is in review, assigned to you.",
  take_over: "Taken over: the item is assigned to you (recorded in its history).",
  assign: "Assigned.",
  release: "Released: the item is pending again.",
  resolve: "Resolved.",
  dismiss: "Dismissed.",
  reopen: "Reopened: the item is pending again.",
};

function single<I extends ItemRef>(toChange: (input: I) => ReviewChange) {
  return async (input: I, user: Actor): Promise<Result> => {
    const change = toChange(input);
    const changed = await asUserFacing(async () => changeReviewItem(await getDb(), input, change, user));
    revalidateReview([changed.trade_id]);
    return { ok: true, data: { changed: 1, skipped: 0, rowVersion: changed.row_version }, message: DONE[change.action] };
  };
}

function bulk<I extends { items: ItemRef[] }>(toChange: (input: I) => Promise<ReviewChange> | ReviewChange) {
  return async (input: I, user: Actor): Promise<Result> => {
    const change = await toChange(input);
    const outcome: ChangeOutcome = await asUserFacing(async () =>
      changeReviewItems(await getDb(), input.items, change, user),
    );
    if (outcome.changed.length > 0) revalidateReview(outcome.changed.map((c) => c.trade_id));
    const message = describeOutcome(change.action, outcome);
    if (outcome.changed.length === 0) return { ok: false, error: `Nothing was changed. ${message}` };
    return { ok: true, data: { changed: outcome.changed.length, skipped: outcome.skipped.length }, message };
  };
}

const claim = authorizedAction("reviewer", claimSchema, single(() => ({ action: "claim" })));
const takeOver = authorizedAction("reviewer", takeOverSchema, single((i) => ({ action: "take_over", notes: i.notes })));
const assign = authorizedAction(
  "reviewer",
  assignSchema,
  single((i) => ({ action: "assign", assigneeId: i.assigneeId, notes: i.notes })),
);
const release = authorizedAction("reviewer", releaseSchema, single((i) => ({ action: "release", notes: i.notes })));
const resolve = authorizedAction(
  "reviewer",
  resolveSchema,
  single((i) => ({ action: "resolve", resolutionType: i.resolutionType, notes: i.notes })),
);
const dismiss = authorizedAction(
  "reviewer",
  dismissSchema,
  single((i) => ({ action: "dismiss", reason: i.reason as DismissReason, notes: i.notes })),
);
const reopen = authorizedAction("reviewer", reopenSchema, async (input, user): Promise<Result> => {
  const { id, rowVersion, notes, manualBuy } = input;
  const outcome = await asUserFacing(async () => reopenReviewItem(await getDb(), { id, rowVersion }, { notes, manualBuy }, user));
  revalidateReview([outcome.trade_id, ...(outcome.manualBuy ? [outcome.manualBuy.id] : [])]);
  const buy = outcome.manualBuy;
  const shared = buy && buy.sharedWithItems > 0 ? ` (shared with ${buy.sharedWithItems} other item(s))` : "";
  return {
    ok: true,
    data: { changed: 1, skipped: 0, rowVersion: outcome.row_version },
    message: !buy
      ? DONE.reopen
      : buy.choice === "void"
        ? `Reopened: the item is pending again; manual buy #${buy.id}${shared} is void, the next recompute leaves it out.`
        : `Reopened: the item is pending again; manual buy #${buy.id}${shared} is kept and still counts.`,
  };
});

const costBasis = authorizedAction("reviewer", recordCostBasisSchema, async (input, user): Promise<Result> => {
  const { id, rowVersion, ...buy } = input;
  const outcome = await asUserFacing(async () => recordManualCostBasis(await getDb(), { id, rowVersion }, buy, user));
  revalidateReview([outcome.trade_id, outcome.manual_trade_id]);
  return {
    ok: true,
    data: { changed: 1, skipped: 0, rowVersion: outcome.row_version, manualTradeId: outcome.manual_trade_id },
    message: outcome.shared
      ? `Linked the sell's existing manual buy #${outcome.manual_trade_id} (no second one) and resolved the item.`
      : `Recorded manual buy #${outcome.manual_trade_id} and resolved the item. The next recompute uses it.`,
  };
});

const bulkClaimAction = authorizedAction("reviewer", bulkClaimSchema, bulk(() => ({ action: "claim" })));
const bulkAssignAction = authorizedAction(
  "reviewer",
  bulkAssignSchema,
  bulk((i) => ({ action: "assign", assigneeId: i.assigneeId, notes: i.notes })),
);
const bulkReleaseAction = authorizedAction("reviewer", bulkReleaseSchema, bulk((i) => ({ action: "release", notes: i.notes })));
const bulkResolveAction = authorizedAction(
  "reviewer",
  bulkResolveSchema,
  bulk((i) => ({ action: "resolve", resolutionType: i.resolutionType, notes: i.notes })),
);
const bulkDismissAction = authorizedAction(
  "reviewer",
  bulkDismissSchema,
  bulk((i) => ({ action: "dismiss", reason: i.reason as DismissReason, notes: i.notes })),
);
const bulkReopenAction = authorizedAction("reviewer", bulkReopenSchema, bulk((i) => ({ action: "reopen", notes: i.notes })));
const dismissDustAction = authorizedAction(
  "reviewer",
  dismissDustSchema,
  bulk(async (i) => {
    const ctx = await filterContext(await getDb(), null);
    return {
      action: "dismiss",
      reason: "dust",
      notes: i.notes || `Unmatched notional below the dust size (${ctx.dustNotionalUsd} USD)`,
      onlyDust: { dustNotionalUsd: ctx.dustNotionalUsd },
    };
  }),
);

/** A group's open items as the reviewer saw them, found on the server (the page sends no id lists). */
const groupSelection = authorizedAction("reviewer", reviewGroupSchema, async ({ asOf, ...group }) =>
  openItemsOfGroup(await getDb(), group, asOf, await filterContext(await getDb(), null), MAX_BULK_ITEMS),
);

const GROUP_OPS = { claim: bulkClaimAction, assign: bulkAssignAction, resolve: bulkResolveAction, dismiss: bulkDismissAction } as const;

/** groupAct: op (claim|assign|resolve|dismiss), the group (version, symbol, type, cause, month, asOf), and the op's fields. */
export async function groupAct(_prev: ReviewActionState, fd: FormData): Promise<Result> {
  const op = String(fd.get("op") ?? "");
  if (!Object.hasOwn(GROUP_OPS, op)) return { ok: false, error: "Choose an action." };
  const selection = await groupSelection(fd);
  if (!selection.ok) return keepValues(selection, fd);
  const { refs, changedSince } = selection.data;
  const left = changedSince > 0 ? ` ${changedSince} changed since you loaded the page and were left alone; reload to see them.` : "";
  if (refs.length === 0) return { ok: false, error: `Nothing was changed.${left}` };
  const fields = Object.fromEntries([...fd.entries()].filter(([key, value]) => typeof value === "string" && !key.startsWith("$ACTION")));
  const result = await GROUP_OPS[op as keyof typeof GROUP_OPS]({ ...fields, items: refs.map((r) => `${r.id}:${r.rowVersion}`) } as never);
  return keepValues(result.ok ? { ...result, message: `${result.message ?? ""}${left}` } : result, fd);
}

/** On any failure, give the form back what the user typed (React resets uncontrolled fields). */
function keepValues(result: Result, fd: FormData): Result {
  if (result.ok || result.values) return result;
  const values: Record<string, string> = {};
  for (const [key, value] of fd.entries()) {
    if (key.startsWith("$ACTION") || typeof value !== "string") continue;
    values[key] = key in values ? `${values[key]},${value}` : value;
  }
  return { ...result, values };
}

// --- the actions forms call: (previous state, FormData) for useActionState ----------------------

/** claimItem: id, rowVersion. pending -> in_review, assigned to the caller. */
export async function claimItem(_prev: ReviewActionState, fd: FormData): Promise<Result> {
  return keepValues(await claim(fd), fd);
}
/** takeOverItem: id, rowVersion, notes?. in_review (someone else's) -> in_review, assigned to the caller; recorded. */
export async function takeOverItem(_prev: ReviewActionState, fd: FormData): Promise<Result> {
  return keepValues(await takeOver(fd), fd);
}
/** assignItem: id, rowVersion, assigneeId, notes?. pending|in_review -> in_review, assigned to assigneeId. */
export async function assignItem(_prev: ReviewActionState, fd: FormData): Promise<Result> {
  return keepValues(await assign(fd), fd);
}
/** releaseItem: id, rowVersion, notes?. in_review -> pending, unassigned. */
export async function releaseItem(_prev: ReviewActionState, fd: FormData): Promise<Result> {
  return keepValues(await release(fd), fd);
}
/** resolveItem: id, rowVersion, resolutionType (explained|corrected_at_source|accepted), notes. */
export async function resolveItem(_prev: ReviewActionState, fd: FormData): Promise<Result> {
  return keepValues(await resolve(fd), fd);
}
/** dismissItem: id, rowVersion, reason (dust|not_a_problem|duplicate|out_of_scope|other), notes (needed for other). */
export async function dismissItem(_prev: ReviewActionState, fd: FormData): Promise<Result> {
  return keepValues(await dismiss(fd), fd);
}
/** reopenItem: id, rowVersion, notes, manualBuy (keep|void, asked when the item recorded a live manual buy). resolved|dismissed -> pending. */
export async function reopenItem(_prev: ReviewActionState, fd: FormData): Promise<Result> {
  return keepValues(await reopen(fd), fd);
}
/** recordCostBasis: id, rowVersion, size, price, orderTime (UTC, before the sell), feeUsd?, notes. */
export async function recordCostBasis(_prev: ReviewActionState, fd: FormData): Promise<Result> {
  return keepValues(await costBasis(fd), fd);
}

/** Bulk actions: items ("id:rowVersion", repeated or comma-separated) plus the single action's fields. */
export async function bulkClaim(_prev: ReviewActionState, fd: FormData): Promise<Result> {
  return keepValues(await bulkClaimAction(fd), fd);
}
export async function bulkAssign(_prev: ReviewActionState, fd: FormData): Promise<Result> {
  return keepValues(await bulkAssignAction(fd), fd);
}
export async function bulkRelease(_prev: ReviewActionState, fd: FormData): Promise<Result> {
  return keepValues(await bulkReleaseAction(fd), fd);
}
export async function bulkResolve(_prev: ReviewActionState, fd: FormData): Promise<Result> {
  return keepValues(await bulkResolveAction(fd), fd);
}
export async function bulkDismiss(_prev: ReviewActionState, fd: FormData): Promise<Result> {
  return keepValues(await bulkDismissAction(fd), fd);
}
export async function bulkReopen(_prev: ReviewActionState, fd: FormData): Promise<Result> {
  return keepValues(await bulkReopenAction(fd), fd);
}
/** dismissDust: items, notes?. Dismisses (reason dust) those still dust under fifo_settings.dust_notional_usd. */
export async function dismissDust(_prev: ReviewActionState, fd: FormData): Promise<Result> {
  return keepValues(await dismissDustAction(fd), fd);
}
