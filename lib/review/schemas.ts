// Input of every review action, shared by the forms (field names) and the server actions (zod
// validation). Every change names the row_version it read: the database refuses stale ones.
import Big from "big.js";
import { z } from "zod";
import { DISMISS_REASON_KEYS, PLAIN_RESOLUTION_TYPES } from "./workflow";

const MAX_BULK_ITEMS = 5000;

const id = z.coerce.number({ error: "Missing item" }).int().positive("Missing item");
const rowVersion = z.coerce.number({ error: "Missing version; reload the page" }).int().positive();

const notes = (required: string | null) =>
  required
    ? z.string({ error: required }).trim().min(3, required).max(4000, "At most 4,000 characters")
    : z.string().trim().max(4000, "At most 4,000 characters").optional().default("");

/** One item as the reviewer saw it. */
export const itemRef = z.object({ id, rowVersion });
export type ItemRef = z.output<typeof itemRef>;

/** "id:rowVersion", the value of a row's checkbox in bulk forms. */
export const itemRefText = z
  .string()
  .regex(/^\d+:\d+$/, "Invalid selection; reload the page")
  .transform((text): ItemRef => {
    const [itemId, version] = text.split(":");
    return { id: Number(itemId), rowVersion: Number(version) };
  });

export function formatItemRef(item: { id: number; row_version: number }): string {
  return `${item.id}:${item.row_version}`;
}

/** Selected items: one "id:version" per checkbox, or one comma-separated field (group forms). */
const items = z.preprocess(
  (value) =>
    (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]).flatMap((v) =>
      typeof v === "string" ? v.split(",").map((s) => s.trim()).filter(Boolean) : [v],
    ),
  z
    .array(itemRefText, { error: "Select at least one item" })
    .min(1, "Select at least one item")
    .max(MAX_BULK_ITEMS, `At most ${MAX_BULK_ITEMS} items at once`),
);

export const claimSchema = itemRef;
export const assignSchema = itemRef.extend({
  assigneeId: z.coerce.number({ error: "Choose a reviewer" }).int().positive("Choose a reviewer"),
  notes: notes(null),
});
export const releaseSchema = itemRef.extend({ notes: notes(null) });
export const resolveSchema = itemRef.extend({
  resolutionType: z.enum(PLAIN_RESOLUTION_TYPES, { error: "Choose how it was resolved" }),
  notes: notes("Say why (at least 3 characters)"),
});

const dismissFields = {
  reason: z.enum(DISMISS_REASON_KEYS as [string, ...string[]], { error: "Choose a reason" }),
  notes: notes(null),
};
function otherNeedsNotes(value: { reason: string; notes: string }, ctx: z.RefinementCtx) {
  if (value.reason === "other" && value.notes.length < 3) {
    ctx.addIssue({ code: "custom", path: ["notes"], message: "Explain the reason (at least 3 characters)" });
  }
}
export const dismissSchema = itemRef.extend(dismissFields).superRefine(otherNeedsNotes);
export const reopenSchema = itemRef.extend({
  notes: notes("Say why it is reopened (at least 3 characters)"),
  /** Asked only when the item recorded a manual buy that is still live. */
  manualBuy: z.enum(["keep", "void"], { error: "Keep or void the manual buy" }).optional(),
});

const DECIMAL = /^\d{1,20}(\.\d{1,18})?$/;

/** Positive exact decimal text, e.g. "0.25". Never a JS number. */
const positiveDecimal = (label: string) =>
  z
    .string({ error: `${label} is required` })
    .trim()
    .min(1, `${label} is required`)
    .regex(DECIMAL, `${label} must be a decimal number like 0.25`)
    .refine((text) => !DECIMAL.test(text) || new Big(text).gt(0), `${label} must be greater than 0`)
    .transform((text) => new Big(text).toFixed());

const feeDecimal = z
  .string()
  .trim()
  .transform((text) => (text === "" ? "0" : text))
  .pipe(z.string().regex(DECIMAL, "Fee must be a decimal number >= 0, like 1.5"))
  .transform((text) => new Big(text).toFixed());

/**
 * A time as typed in <input type="datetime-local" step="1"> (read as UTC, like every time the app
 * shows), or full ISO 8601 with a zone. Becomes ISO text with an explicit zone for SQL.
 */
export const utcTime = z
  .string({ error: "Time is required" })
  .trim()
  .min(1, "Time is required")
  .transform((text, ctx) => {
    const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
    const iso = m ? `${m[1]}T${m[2]}${m[3] ?? ":00"}${m[5] ?? "Z"}` : "";
    if (!m || Number.isNaN(Date.parse(iso))) {
      ctx.addIssue({ code: "custom", message: "Time must look like 2025-03-01 14:30:00 (UTC)" });
      return z.NEVER;
    }
    return iso;
  });

/** Resolving an unmatched sell by recording the buy that was missing (SPEC 5, closing the loop). */
export const recordCostBasisSchema = itemRef.extend({
  size: positiveDecimal("Size"),
  price: positiveDecimal("Price"),
  orderTime: utcTime,
  feeUsd: feeDecimal.optional().default("0"),
  notes: notes("Say where the buy comes from (at least 3 characters)"),
});

export const bulkClaimSchema = z.object({ items });
export const bulkAssignSchema = z.object({ items, assigneeId: assignSchema.shape.assigneeId, notes: notes(null) });
export const bulkReleaseSchema = z.object({ items, notes: notes(null) });
export const bulkResolveSchema = z.object({
  items,
  resolutionType: resolveSchema.shape.resolutionType,
  notes: resolveSchema.shape.notes,
});
export const bulkDismissSchema = z.object({ items, ...dismissFields }).superRefine(otherNeedsNotes);
export const bulkReopenSchema = z.object({ items, notes: reopenSchema.shape.notes });
/** "Dismiss all dust": only items that are dust when the action runs are dismissed. */
export const dismissDustSchema = z.object({ items, notes: notes(null) });
