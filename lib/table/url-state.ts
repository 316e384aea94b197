// Table state lives in the URL (`?sort=pnl_usd.desc&symbol=BTC-USD&page=3&size=50`), so a table
// view is a shareable link and the back button restores it. Each table declares its sortable
// columns and filters once (defineTable); the page parses searchParams with it on the server, and
// DataTable writes the same keys from the browser. Bad values fall back to defaults, never throw.
import { z } from "zod";
import { cursorParam, type Cursor } from "./keyset";

export const PAGE_SIZES = [25, 50, 100, 200] as const;
export const DEFAULT_PAGE_SIZE = 50;
/** Pages beyond this would need OFFSETs too large to stay fast; sort the other way instead. */
export const MAX_PAGE = 20_000;
/** With a keyset cursor the page number is only a label, so it may go further. */
export const MAX_CURSOR_PAGE = 100_000_000;

export type SortDir = "asc" | "desc";
export type SearchParams = Record<string, string | string[] | undefined>;

/** allocation_version is a PostgreSQL integer. */
export const MAX_VERSION = 2_147_483_647;
/** Ids are bigint in SQL and numbers here: beyond 2^53 - 1 they would silently round. */
export const MAX_ID = Number.MAX_SAFE_INTEGER;

/**
 * A positive whole number written as plain digits ("12"; not "1e3", "0x10", "1.0", " 7"), at
 * most `max`; anything else is undefined. For URL parameters and form fields alike.
 */
export function positiveIntParam(value: unknown, max: number): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text === "number") return Number.isSafeInteger(text) && text >= 1 && text <= max ? text : undefined;
  if (typeof text !== "string" || !/^\d{1,16}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 && n <= max && Number.isSafeInteger(n) ? n : undefined;
}

export const versionParam = (value: unknown) => positiveIntParam(value, MAX_VERSION);
export const idParam = (value: unknown) => positiveIntParam(value, MAX_ID);

/** zod field: a positive whole number up to `max` (plain digits or a number), with `message` otherwise. */
export function boundedInt(max: number, message: string) {
  return z.union([z.string(), z.number()], { error: message }).transform((value, ctx) => {
    const n = positiveIntParam(value, max);
    if (n === undefined) {
      ctx.addIssue({ code: "custom", message });
      return z.NEVER;
    }
    return n;
  });
}

/** "YYYY-MM-DD" naming a real day from 1970 to 9999 (not 2025-02-31, which JS would roll over and SQL refuse). */
export function isCalendarDay(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1970 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Reusable filter fields (the URL key is the object key where they are used). */
export const filterFields = {
  symbol: z.string().trim().regex(/^[A-Za-z0-9._:/-]{1,40}$/).optional().catch(undefined),
  version: z.unknown().transform(versionParam).optional(),
  /** A UTC calendar day, inclusive (from) or inclusive (to). */
  day: z.string().refine(isCalendarDay).optional().catch(undefined),
  tradeId: z.unknown().transform(idParam).optional(),
  oneOf: <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values).optional().catch(undefined),
};

export interface TableDefinition<C extends string, F extends z.ZodRawShape> {
  sortable: readonly C[];
  defaultSort: { column: C; dir: SortDir };
  filters: F;
  defaultSize?: number;
}

export interface TableState<C extends string, F> {
  /** Shown page number; with a cursor only a label (the cursor decides which rows). */
  page: number;
  /** Keyset position sent by Next/Previous; absent on a plain (shared) page link. */
  cursor?: Cursor;
  size: number;
  sort: { column: C; dir: SortDir };
  filters: F;
}

export interface Table<C extends string, F extends z.ZodRawShape> {
  definition: TableDefinition<C, F>;
  parse(params: SearchParams | URLSearchParams): TableState<C, z.infer<z.ZodObject<F>>>;
}

function first(value: string | string[] | undefined | null): string | undefined {
  if (Array.isArray(value)) return value[0];
  return value ?? undefined;
}

function toRecord(params: SearchParams | URLSearchParams): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (params instanceof URLSearchParams) {
    for (const key of new Set(params.keys())) {
      const value = params.get(key);
      out[key] = value === "" ? undefined : (value ?? undefined);
    }
  } else {
    for (const [key, value] of Object.entries(params)) {
      const v = first(value);
      out[key] = v === "" ? undefined : v;
    }
  }
  return out;
}

export function defineTable<const C extends string, F extends z.ZodRawShape>(
  definition: TableDefinition<C, F>,
): Table<C, F> {
  const filterSchema = z.object(definition.filters);
  const defaultSize = definition.defaultSize ?? DEFAULT_PAGE_SIZE;
  return {
    definition,
    parse(params) {
      const raw = toRecord(params);
      const after = cursorParam.parse(raw.after);
      const before = after ? undefined : cursorParam.parse(raw.before);
      const cursor: Cursor | undefined = after ? { after } : before ? { before } : undefined;
      const maxPage = cursor ? MAX_CURSOR_PAGE : MAX_PAGE;
      const page = z.coerce.number().int().min(1).max(maxPage).catch(1).parse(raw.page ?? 1);
      const size = z.coerce
        .number()
        .int()
        .refine((n) => (PAGE_SIZES as readonly number[]).includes(n))
        .catch(defaultSize)
        .parse(raw.size ?? defaultSize);
      let sort = definition.defaultSort;
      const sortText = raw.sort;
      if (sortText) {
        const dot = sortText.lastIndexOf(".");
        const column = dot > 0 ? sortText.slice(0, dot) : sortText;
        const dir = dot > 0 ? sortText.slice(dot + 1) : "asc";
        if ((definition.sortable as readonly string[]).includes(column) && (dir === "asc" || dir === "desc")) {
          sort = { column: column as C, dir };
        }
      }
      const filters = filterSchema.parse(raw) as z.infer<z.ZodObject<F>>;
      return { page, size, sort, filters, ...(cursor ? { cursor } : {}) };
    },
  };
}

/** The URL query of a state (only non-default keys), e.g. for links and the CSV export. */
export function stateToQuery(
  state: { page?: number; size?: number; sort?: { column: string; dir: SortDir } },
  filters: Record<string, unknown>,
  options: { omitPaging?: boolean } = {},
): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  if (state.sort) params.set("sort", `${state.sort.column}.${state.sort.dir}`);
  if (!options.omitPaging) {
    if (state.page && state.page > 1) params.set("page", String(state.page));
    if (state.size) params.set("size", String(state.size));
  }
  return params.toString();
}

/** Inclusive UTC day range -> half-open timestamptz bounds as text, for SQL parameters. */
export function dayRange(from?: string, to?: string): { fromTs: string | null; toTs: string | null } {
  const next = (day: string) => {
    const d = new Date(`${day}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 1);
    return d.toISOString();
  };
  return { fromTs: from ? `${from}T00:00:00Z` : null, toTs: to ? next(to) : null };
}
