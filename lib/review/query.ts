// The queue's table state as it lives in the URL (?status=pending&severity=critical&sort=notional.desc&page=2),
// parsed by one zod schema: shareable links, a working back button, and no invalid state reaching SQL.
import { z } from "zod";
import { idParam, MAX_ID, MAX_PAGE, versionParam } from "@/lib/table/url-state";
import { ISSUE_TYPES, REVIEW_STATUSES, SEVERITIES } from "./workflow";

export const SORT_COLUMNS = [
  "priority", "id", "severity", "status", "symbol", "type", "notional", "unmatched", "trade_time", "created",
  "updated",
] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];
export const PAGE_SIZES = [25, 50, 100, 200] as const;

/** Status filter: one status, "open" (pending + in review) or "all". */
export const STATUS_FILTERS = ["all", "open", ...REVIEW_STATUSES] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (Array.isArray(v) ? v[0] : v === "" ? undefined : v), schema.optional()).catch(undefined);

export const reviewQuerySchema = z.object({
  status: optional(z.enum(STATUS_FILTERS)).transform((v) => v ?? "all"),
  severity: optional(z.enum(SEVERITIES)),
  type: optional(z.enum(ISSUE_TYPES)),
  symbol: optional(z.string().trim().toUpperCase().regex(/^[A-Z0-9._:/-]{1,40}$/)),
  /** "me", "none" or a user id. */
  assignee: optional(z.string().regex(/^(me|none|[1-9]\d{0,14})$/)),
  version: z.unknown().transform(versionParam).optional(),
  cause: optional(z.string().regex(/^[a-z_]{1,40}$/)),
  month: optional(z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/)),
  dust: optional(z.enum(["1", "0"])),
  trade: z.unknown().transform(idParam).optional(),
  sort: optional(
    z.string().regex(new RegExp(`^(${SORT_COLUMNS.join("|")})(\\.(asc|desc))?$`)),
  ).transform((v) => parseSort(v ?? "priority")),
  page: optional(z.coerce.number().int().min(1).max(MAX_PAGE)).transform((v) => v ?? 1),
  /** Keyset paging: the page after item `after` / before item `before` in this order (ids). */
  after: optional(z.coerce.number().int().positive().max(MAX_ID)),
  before: optional(z.coerce.number().int().positive().max(MAX_ID)),
  size: optional(z.coerce.number().int().refine((n) => (PAGE_SIZES as readonly number[]).includes(n))).transform(
    (v) => v ?? 50,
  ),
});

export type ReviewQuery = z.output<typeof reviewQuerySchema>;
/** Filters only (what the counts, the CSV export and bulk selections share). */
export type ReviewFilter = Omit<ReviewQuery, "sort" | "page" | "size" | "after" | "before">;

export interface ReviewSort {
  column: SortColumn;
  direction: "asc" | "desc";
}

function parseSort(text: string): ReviewSort {
  const [column, direction] = text.split(".") as [SortColumn, "asc" | "desc" | undefined];
  return { column, direction: direction ?? (column === "priority" ? "asc" : "desc") };
}

export function formatSort(sort: ReviewSort): string {
  return sort.column === "priority" && sort.direction === "asc" ? "priority" : `${sort.column}.${sort.direction}`;
}

export function parseReviewQuery(params: Record<string, string | string[] | undefined>): ReviewQuery {
  return reviewQuerySchema.parse(params);
}

/** The URL search string of a query (defaults left out), with `change` applied. */
export function reviewQueryString(query: ReviewQuery, change: Partial<Record<keyof ReviewQuery, string | number | null>> = {}): string {
  const values: Record<string, string | number | null | undefined> = {
    status: query.status === "all" ? null : query.status,
    severity: query.severity,
    type: query.type,
    symbol: query.symbol,
    assignee: query.assignee,
    version: query.version,
    cause: query.cause,
    month: query.month,
    dust: query.dust,
    trade: query.trade,
    sort: formatSort(query.sort) === "priority" ? null : formatSort(query.sort),
    page: query.page === 1 ? null : query.page,
    after: query.after,
    before: query.before,
    size: query.size === 50 ? null : query.size,
    ...change,
  };
  // Any filter change starts again on page 1.
  if (Object.keys(change).some((key) => key !== "page") && !("page" in change)) values.page = null;
  // A cursor belongs to one page of one order and filter: any change drops it.
  if (Object.keys(change).length > 0 && !("after" in change) && !("before" in change)) values.after = values.before = null;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== null && value !== undefined && value !== "" && !(key === "status" && value === "all")) {
      params.set(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}
