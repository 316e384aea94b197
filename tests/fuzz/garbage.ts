// Hostile values for URL parameters and form fields: numbers out of every range, numbers in
// disguise (1e10, 0x10, full-width digits), impossible dates, selections like 0:0, injection
// attempts, huge and odd Unicode text; mixed with fast-check's own strings.
import fc from "fast-check";
import { ROLES } from "@/lib/auth/roles";
import { DISCREPANCY_CAUSES } from "@/lib/compute/discrepancy-causes";
import { LOT_METHODS } from "@/lib/fifo";
import { DISMISS_REASON_KEYS, PLAIN_RESOLUTION_TYPES } from "@/lib/review/workflow";

export const HOSTILE_VALUES = [
  "", " ", "0", "-1", "-0", "1.5", "1e10", "1e308", "0x10", "０", "１", "NaN", "Infinity", "-Infinity",
  "2147483647", "2147483648", "4294967296", "9007199254740991", "9007199254740993", "99999999999999999999",
  "0:0", "1:0", "0:1", "9007199254740993:1", "1:2147483648", "1:1:1", ":", "1,2,3", "0,0",
  "null", "undefined", "true", "[]", "{}", "' OR 1=1 --", "'; DROP TABLE trade_records; --", "\u0000", "\u202e",
  "2025-02-31", "2025-02-31 10:00:00", "0000-01-01", "0001-01-01 00:00:00", "99999-01-01", "2025-13-01T25:61",
  "x".repeat(5000), "é".repeat(40), "../../etc/passwd", "<script>alert(1)</script>", "%00", "%E0%A4%A",
  "new", "all", "chosen", "full", "incremental", "open", "me", "none", "priority.desc", "symbol.sideways", "v0", "v99999999999",
] as const;

export const garbage: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_VALUES) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }) },
  { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
);

const TEXT = ["checked by the fuzz test", "  spaced out  "];
const BOOLEAN = ["true", "false", "on"];

/**
 * Valid values of the choice and text fields, mixed in so that a garbage number or date is not
 * always refused early by a neighbouring field and reaches the code that must bound it.
 */
export const PLAUSIBLE: Record<string, readonly string[]> = {
  cause: DISCREPANCY_CAUSES,
  reason: [...TEXT, ...DISMISS_REASON_KEYS],
  notes: TEXT,
  overrideReason: TEXT,
  role: ROLES,
  method: LOT_METHODS,
  resolutionType: PLAIN_RESOLUTION_TYPES,
  manualBuy: ["keep", "void"],
  op: ["claim", "assign", "resolve", "dismiss"],
  scope: ["all", "chosen"],
  mode: ["full", "incremental"],
  disabled: BOOLEAN,
  enabled: BOOLEAN,
  paused: BOOLEAN,
  backupAcknowledged: BOOLEAN,
  password: ["", "a-long-enough-password"],
  from: ["2025-01-01", "2025-02-28"],
  to: ["2025-01-31", "2025-12-31"],
};

/**
 * A record of the given keys (each absent, one value, or repeated) plus a few unknown keys;
 * `valid` adds values known only at run time (ids of rows in the test database).
 */
export function garbageFields(keys: readonly string[], valid: Record<string, readonly string[]> = {}): fc.Arbitrary<Record<string, string | string[]>> {
  const value = fc.oneof({ weight: 5, arbitrary: garbage }, { weight: 1, arbitrary: fc.array(garbage, { minLength: 2, maxLength: 3 }) });
  const valueOf = (key: string) => {
    const plausible = [...(PLAUSIBLE[key] ?? []), ...(valid[key] ?? [])];
    return plausible.length ? fc.oneof({ weight: 5, arbitrary: value }, { weight: 3, arbitrary: fc.constantFrom(...plausible) }) : value;
  };
  const known = fc.record(Object.fromEntries(keys.map((k) => [k, valueOf(k)])) as Record<string, fc.Arbitrary<string | string[]>>, {
    requiredKeys: [],
  });
  const unknown = fc.dictionary(fc.string({ maxLength: 8 }), garbage, { maxKeys: 2 });
  return fc.tuple(known, unknown).map(([k, u]) => ({ ...u, ...k }) as Record<string, string | string[]>);
}

export function toFormData(fields: Record<string, string | string[]>): FormData {
  const fd = new FormData();
  for (const [key, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) fd.append(key, v);
  return fd;
}

export function toQuery(fields: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
  return params.toString();
}
