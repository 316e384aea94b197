// Keyset cursors in the URL: what Next/Previous write is read back exactly, and anything else
// (tampered, oversized, wrong type) is refused before it can reach SQL.
import { describe, expect, test } from "vitest";
import { cursorFor, decodeCursor, encodeCursor, isKeyValue } from "@/lib/table/keyset";
import { allocationsTable } from "@/lib/table/tables";

describe("keyset cursors", () => {
  test("encode and decode round-trip, NULLs and non-ASCII text included", () => {
    const values = [null, "2025-01-03T10:00:00.123456Z", "Q,\"X\" €", "-12.5"];
    const text = encodeCursor(values);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(text)).toEqual(values);
  });

  test("anything that is not a cursor decodes to undefined", () => {
    for (const bad of ["", "!!", "a b", "x".repeat(1300), encodeCursor([]), btoa("{}"), btoa("[1,2]"), btoa("not json"),
      encodeCursor(["1", "2", "3", "4", "5"]), encodeCursor(["y".repeat(201)]), 42, ["a", "b"]]) {
      expect(decodeCursor(bad)).toBeUndefined();
    }
  });

  test("values are checked against the key types", () => {
    expect(isKeyValue("timestamptz", "2025-02-28T23:59:59.000001Z")).toBe(true);
    expect(isKeyValue("timestamptz", "2025-02-31T00:00:00.000000Z")).toBe(false);
    expect(isKeyValue("timestamptz", "2025-01-01 00:00:00+00")).toBe(false);
    expect(isKeyValue("timestamptz", "2025-01-01T24:00:00.000000Z")).toBe(false);
    expect(isKeyValue("numeric", "-0.000000001")).toBe(true);
    expect(isKeyValue("numeric", "1e5")).toBe(false);
    expect(isKeyValue("numeric", "NaN")).toBe(false);
    expect(isKeyValue("bigint", "9007199254740993")).toBe(true);
    expect(isKeyValue("bigint", "12345678901234567890")).toBe(false);
    expect(isKeyValue("int", "2147483648")).toBe(false);
    expect(isKeyValue("text", "BTC-USD")).toBe(true);
    expect(isKeyValue("text", "a\u0000b")).toBe(false);
    expect(cursorFor(["1", "2"], ["numeric", "bigint"])).toEqual(["1", "2"]);
    expect(cursorFor([null, "2"], ["numeric", "bigint"])).toEqual([null, "2"]);
    expect(cursorFor(["1", null], ["numeric", "bigint"])).toBeNull();
    expect(cursorFor(["1"], ["numeric", "bigint"])).toBeNull();
    expect(cursorFor(["x", "2"], ["numeric", "bigint"])).toBeNull();
  });

  test("the table state carries after (or else before) and keeps the page as a label", () => {
    const after = encodeCursor(["2025-01-01T00:00:00.000000Z", "3", "1"]);
    const state = allocationsTable.parse(new URLSearchParams({ after, before: after, page: "25000" }));
    expect(state.cursor).toEqual({ after: ["2025-01-01T00:00:00.000000Z", "3", "1"] });
    expect(state.page).toBe(25000);
    const plain = allocationsTable.parse({ page: "25000", after: "garbage!" });
    expect(plain.cursor).toBeUndefined();
    expect(plain.page).toBe(1);
  });
});
