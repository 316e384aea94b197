// Input of every review action, shared by the forms (field names) and the server actions (zod
// validation). Every change names the row_version it read: the database refuses stale ones.
import Big from "big.js";
import { z } from "zod";
import { boundedInt, MAX_ID } from "@/lib/table/url-state";
import { DISMISS_REASON_KEYS, ISSUE_TYPES, PLAIN_RESOLUTION_TYPES } from "./workflow";

export const MAX_BULK_ITEMS = 5000;

const id = boundedInt(MAX_ID, "Missing item");
/** row_version is a PostgreSQL integer. */
const rowVersion = boundedInt(2_147_483_647, "Missing version; reload the page");

const notes = (required: string | null) =>
  required
    ? z.string({ error: required }).trim().min(3, required).max(4000, "At most 4,000 characters")
    : z.string().trim().max(4000, "At most 4,000 characters").optional().default("");

/** One item as the reviewer saw it. */
export const itemRef = z.object({ id, rowVersion });
export type ItemRef = z.output<typeof itemRef>;

/** "id:rowVersion", the value of a row's checkbox in bulk forms; both parts positive and in range. */
export const itemRefText = z
  .string()
  .regex(/^\d{1,16}:\d{1,10}$/, "Invalid selection; reload the page")
  .transform((text, ctx): ItemRef => {
    const [itemId, version] = text.split(":");
    const parsed = itemRef.safeParse({ id: itemId, rowVersion: version });
    if (!parsed.success) {
      ctx.addIssue({ code: "custom", message: "Invalid selection; reload the page" });
      return z.NEVER;
    }
    return parsed.data;
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
export const takeOverSchema = itemRef.extend({ notes: notes(null) });
export const assignSchema = itemRef.extend({
  assigneeId: boundedInt(MAX_ID, "Choose a reviewer"),
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

/** No trade of this app's kind happened before this (and PostgreSQL would take year 1 happily). */
export const EARLIEST_TRADE_TIME = "2000-01-01T00:00:00Z";

const TIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** The instant `text` names, or a message: every field must be a real calendar value (no 02-31, no 24:00). */
function parseUtcTime(text: string): { iso: string } | { error: string } {
  const m = TIME_PATTERN.exec(text);
  if (!m) return { error: "Time must look like 2025-03-01 14:30:00 (UTC)" };
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? "00"].map(Number) as [
    number, number, number, number, number, number,
  ];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) {
    return { error: `There is no ${m[1]}-${m[2]}-${m[3]}: check the day and month` };
  }
  if (hour > 23 || minute > 59 || second > 59) return { error: "Time of day must be between 00:00:00 and 23:59:59" };
  const zone = m[8] ?? "Z";
  if (zone !== "Z" && Number(zone.slice(1, 3)) > 14) return { error: "The UTC offset must be between -14:00 and +14:00" };
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? "00"}${m[7] ?? ""}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return { error: "Time must look like 2025-03-01 14:30:00 (UTC)" };
  if (at < Date.parse(EARLIEST_TRADE_TIME)) return { error: "Time must be in the year 2000 or later" };
  return { iso };
}

/**
 * A time as typed in <input type="datetime-local" step="1"> (read as UTC, like every time the app
 * shows), or full ISO 8601 with a zone. Becomes ISO text with an explicit zone for SQL.
 */
export const utcTime = z
  .string({ error: "Time is required" })
  .trim()
  .min(1, "Time is required")
  .max(40, "Time must look like 2025-03-01 14:30:00 (UTC)")
  .transform((text, ctx) => {
    const parsed = parseUtcTime(text);
    if ("error" in parsed) {
      ctx.addIssue({ code: "custom", message: parsed.error });
      return z.NEVER;
    }
    return parsed.iso;
  });

/** Resolving an unmatched sell by recording the buy that was missing (SPEC 5, closing the loop). */
export const recordCostBasisSchema = itemRef.extend({
  size: positiveDecimal("Size"),
  price: positiveDecimal("Price"),
  orderTime: utcTime,
  feeUsd: feeDecimal.optional().default("0"),
  notes: notes("Say where the buy comes from (at least 3 characters)"),
});

/** A group of the groups page (version, symbol, issue type, cause, month of the trade) and when the reviewer saw it. */
export const reviewGroupSchema = z.object({
  version: boundedInt(2_147_483_647, "Missing group; reload the page"),
  symbol: z.string({ error: "Missing group; reload the page" }).regex(/^[A-Za-z0-9._:/-]{1,40}$/, "Missing group; reload the page"),
  type: z.enum(ISSUE_TYPES, { error: "Missing group; reload the page" }),
  cause: z.string({ error: "Missing group; reload the page" }).regex(/^[a-z_]{1,40}$/, "Missing group; reload the page"),
  month: z
    .string()
    .regex(/^(\d{4}-(0[1-9]|1[0-2]))?$/, "Missing group; reload the page")
    .optional()
    .transform((m) => m || null),
  asOf: boundedInt(MAX_ID, "Missing group; reload the page"),
});
export type ReviewGroupKey = Omit<z.output<typeof reviewGroupSchema>, "asOf">;

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
