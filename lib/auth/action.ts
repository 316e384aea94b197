// The one wrapper every server action goes through: load the user, check the role, parse the
// input with zod, run the body, and turn the outcome into a serializable ActionResult for
// useActionState. Errors are values here, never thrown at the form (except Next's own redirect()
// and notFound(), which pass through).
import { z } from "zod";
import { roleAtLeast, type Role } from "./roles";
import { getCurrentUser, type CurrentUser } from "./session";

export type FieldErrors = Record<string, string>;

export type ActionResult<T = undefined> =
  | { ok: true; data: T; message?: string }
  | { ok: false; error: string; fieldErrors?: FieldErrors; values?: Record<string, string> };

/** Throw from a handler to show `message` (and optional per-field errors) to the user. */
export class UserFacingError extends Error {
  constructor(
    message: string,
    public fieldErrors?: FieldErrors,
  ) {
    super(message);
    this.name = "UserFacingError";
  }
}

export const GENERIC_ERROR = "Something went wrong; nothing was changed.";

/**
 * Wraps a server action body. The returned function takes a FormData (from a <form>) or a plain
 * object (from code) and resolves to an ActionResult; it never throws except for Next's
 * redirect()/notFound() control flow.
 *
 * - not signed in -> { ok: false, error: "Sign in first." }
 * - role below `min` -> { ok: false, error: "This needs the <min> role." }
 * - invalid input -> { ok: false, error: "Please correct the highlighted fields.", fieldErrors
 *   (first message per field; nested paths joined with "."; form-level issues under ""), values }
 * - handler throws UserFacingError -> { ok: false, error: message, fieldErrors }
 * - handler throws anything else -> logged, { ok: false, error: GENERIC_ERROR }
 * - handler returns an ActionResult -> passed through; returns anything else -> { ok: true, data }
 *
 * FormData conversion (formDataToObject): see there.
 */
export function authorizedAction<S extends z.ZodType, T>(
  min: Role,
  schema: S,
  handler: (input: z.output<S>, user: CurrentUser) => Promise<T | ActionResult<T>>,
): (input: FormData | z.input<S>) => Promise<ActionResult<T>> {
  return async (input) => {
    const user = await getCurrentUser();
    if (!user) return { ok: false, error: "Sign in first." };
    if (!roleAtLeast(user.role, min)) return { ok: false, error: `This needs the ${min} role.` };

    const raw = input instanceof FormData ? formDataToObject(input, schema) : input;
    const unstorable = fieldsWithNul(raw);
    if (unstorable.length > 0) {
      return {
        ok: false,
        error: "Please correct the highlighted fields.",
        fieldErrors: Object.fromEntries(unstorable.map((field) => [field, NUL_MESSAGE])),
        values: echoValues(raw),
      };
    }
    const parsed = await schema.safeParseAsync(raw);
    if (!parsed.success) {
      return {
        ok: false,
        error: "Please correct the highlighted fields.",
        fieldErrors: fieldErrorsOf(parsed.error),
        values: echoValues(raw),
      };
    }
    try {
      const result = await handler(parsed.data, user);
      return isActionResult<T>(result) ? result : { ok: true, data: result as T };
    } catch (error) {
      if (isNextControlFlow(error)) throw error;
      if (error instanceof UserFacingError) {
        return error.fieldErrors
          ? { ok: false, error: error.message, fieldErrors: error.fieldErrors, values: echoValues(raw) }
          : { ok: false, error: error.message };
      }
      console.error(`[action] unexpected error (user ${user.id}, ${user.role}):`, error);
      return { ok: false, error: GENERIC_ERROR };
    }
  };
}

const NUL_MESSAGE = "Contains a NUL character, which cannot be stored; remove it.";

/**
 * Fields holding a NUL character (U+0000): PostgreSQL text cannot store one, so any field would
 * end in a database error instead of a message. Checked for every action before its schema.
 */
function fieldsWithNul(raw: unknown): string[] {
  if (typeof raw !== "object" || raw === null) return [];
  const hasNul = (value: unknown): boolean =>
    typeof value === "string" ? value.includes("\u0000") : Array.isArray(value) ? value.some(hasNul) : false;
  return Object.entries(raw).filter(([, value]) => hasNul(value)).map(([field]) => field);
}

/**
 * FormData -> plain object for zod:
 * - Next's internal `$ACTION_*` keys are dropped; File values are kept as File objects.
 * - A key becomes an array (of all its values, possibly empty) when the schema is a z.object
 *   whose field is an array (through optional/nullable/default), when the name ends in "[]"
 *   (the suffix is removed), or when the key occurs more than once. Otherwise it is its single value.
 * - Values stay strings, "" included: use z.coerce.number(), z.stringbool(), or
 *   z.string().trim().min(1, "Required") as the form needs. An unchecked checkbox is absent.
 */
export function formDataToObject(fd: FormData, schema?: z.ZodType): Record<string, unknown> {
  const arrayKeys = schema ? arrayFieldsOf(schema) : new Set<string>();
  const out: Record<string, unknown> = {};
  for (const key of arrayKeys) out[key] = [];
  for (const name of new Set(fd.keys())) {
    if (name.startsWith("$ACTION")) continue;
    const key = name.endsWith("[]") ? name.slice(0, -2) : name;
    const values = fd.getAll(name);
    if (arrayKeys.has(key) || name.endsWith("[]") || values.length > 1) {
      const existing = Array.isArray(out[key]) ? (out[key] as unknown[]) : [];
      out[key] = [...existing, ...values];
    } else out[key] = values[0];
  }
  return out;
}

function arrayFieldsOf(schema: z.ZodType): Set<string> {
  const keys = new Set<string>();
  const obj = unwrap(schema);
  if (obj instanceof z.ZodObject) {
    for (const [key, field] of Object.entries(obj.shape as Record<string, z.ZodType>)) {
      if (unwrap(field) instanceof z.ZodArray) keys.add(key);
    }
  }
  return keys;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s: z.ZodType = schema;
  for (let i = 0; i < 10; i++) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault) s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodPipe) s = s.in as z.ZodType;
    else break;
  }
  return s;
}

function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".");
    out[key] ??= issue.message;
  }
  return out;
}

/** What the user typed, for re-filling the form; passwords are never echoed. */
function echoValues(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw || typeof raw !== "object") return out;
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (/password|secret|token/i.test(key)) continue;
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") out[key] = String(value);
    else if (Array.isArray(value)) out[key] = value.filter((v) => typeof v === "string" || typeof v === "number").join(",");
  }
  return out;
}

function isActionResult<T>(value: unknown): value is ActionResult<T> {
  if (!value || typeof value !== "object" || !("ok" in value)) return false;
  const v = value as Record<string, unknown>;
  return (v.ok === true && "data" in v) || (v.ok === false && typeof v.error === "string");
}

/** redirect(), notFound(), forbidden() and dynamic-rendering bailouts must reach Next. */
export function isNextControlFlow(error: unknown): boolean {
  const digest = (error as { digest?: unknown } | null)?.digest;
  return (
    typeof digest === "string" &&
    /^(NEXT_REDIRECT|NEXT_NOT_FOUND|NEXT_HTTP_ERROR_FALLBACK|DYNAMIC_SERVER_USAGE|BAILOUT_TO_CLIENT_SIDE_RENDERING|NEXT_PRERENDER)/.test(digest)
  );
}
