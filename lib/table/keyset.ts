// Keyset cursors for the dashboard tables: Next sends `after=<cursor>` (the keys of the page's last
// row), Previous `before=<cursor>` (its first row), so the server seeks to the page instead of
// reading and skipping every earlier row (OFFSET). A cursor is the row's order keys (the sort
// column, then the table's unique tie-breakers) as text, JSON in base64url: opaque in the URL,
// and checked here against each key's SQL type before any of it reaches a query.
import { z } from "zod";

/** SQL type of an order key: what a cursor value must parse as. */
export type KeyType = "numeric" | "int" | "bigint" | "text" | "timestamptz";

export type KeyValues = (string | null)[];
export type Cursor = { after: KeyValues } | { before: KeyValues };

/** A sort column and tie-breakers have at most this many keys together. */
const MAX_KEYS = 4;
const MAX_VALUE_CHARS = 200;
const MAX_CURSOR_CHARS = 1200;

const valuesSchema = z.array(z.string().max(MAX_VALUE_CHARS).nullable()).min(1).max(MAX_KEYS);

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): string {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

export function encodeCursor(values: KeyValues): string {
  return toBase64Url(JSON.stringify(values));
}

/** The key values of a cursor parameter, or undefined for anything that is not one of ours. */
export function decodeCursor(value: unknown): KeyValues | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text !== "string" || text.length > MAX_CURSOR_CHARS || !/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  try {
    const parsed = valuesSchema.safeParse(JSON.parse(fromBase64Url(text)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** zod field for the URL's `after`/`before`: a cursor's values, or undefined (never throws). */
export const cursorParam = z.unknown().transform(decodeCursor);

const INTEGER = /^-?\d{1,18}$/;
const DECIMAL = /^-?\d{1,60}(\.\d{1,60})?$/;
/** What the page query writes for a timestamptz key (keyText below): UTC, microseconds. */
const UTC_MICROS = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{6}Z$/;

function isUtcMicros(value: string): boolean {
  const m = UTC_MICROS.exec(value);
  if (!m) return false;
  const date = new Date(`${value.slice(0, 23)}Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 19) === value.slice(0, 19);
}

/** Whether `value` is a valid literal of `type` (so casting it in SQL cannot fail). */
export function isKeyValue(type: KeyType, value: string): boolean {
  switch (type) {
    case "int":
      return INTEGER.test(value) && Math.abs(Number(value)) <= 2_147_483_647;
    case "bigint":
      return INTEGER.test(value);
    case "numeric":
      return DECIMAL.test(value);
    case "timestamptz":
      return isUtcMicros(value);
    case "text":
      return !value.includes("\u0000");
  }
}

/**
 * The cursor's values when they fit these keys (same count, each a valid literal of its type,
 * only the first may be NULL), else null: the page then falls back to its number.
 */
export function cursorFor(values: KeyValues, types: readonly KeyType[]): KeyValues | null {
  if (values.length !== types.length) return null;
  const ok = values.every((v, i) => (v === null ? i === 0 : isKeyValue(types[i]!, v)));
  return ok ? values : null;
}
