// The review forms' input rules (pure: no database): what a reviewer may type, and what it becomes.
import { describe, expect, test } from "vitest";
import { bulkDismissSchema, dismissSchema, recordCostBasisSchema, utcTime } from "@/lib/review/schemas";
import { canTransition, resolutionAllowedFor } from "@/lib/review/workflow";
import { defaultManualBuyTime } from "@/lib/review/time";

describe("times are read as UTC", () => {
  test.each([
    ["2025-03-01T14:30", "2025-03-01T14:30:00Z"],
    ["2025-03-01T14:30:05", "2025-03-01T14:30:05Z"],
    ["2025-03-01 14:30:05.123", "2025-03-01T14:30:05.123Z"],
    ["2025-03-01T14:30:05+02:00", "2025-03-01T14:30:05+02:00"],
  ])("%s -> %s", (typed, iso) => {
    expect(utcTime.parse(typed)).toBe(iso);
  });

  test.each(["", "yesterday", "2025-13-45T99:99", "1714567890"])("%j is refused", (typed) => {
    expect(utcTime.safeParse(typed).success).toBe(false);
  });

  test("the default manual buy time is one second before the sell", () => {
    expect(defaultManualBuyTime("2025-03-10 12:00:00.250+00")).toBe("2025-03-10T11:59:59");
    expect(defaultManualBuyTime(null)).toBe("");
  });
});

describe("the manual buy", () => {
  const base = { id: "7", rowVersion: "3", size: "0.5", price: "41000.25", orderTime: "2025-03-01T00:00", feeUsd: "", notes: "wallet export" };

  test("becomes exact decimal text, with a fee of 0 when left empty", () => {
    expect(recordCostBasisSchema.parse(base)).toEqual({
      id: 7,
      rowVersion: 3,
      size: "0.5",
      price: "41000.25",
      orderTime: "2025-03-01T00:00:00Z",
      feeUsd: "0",
      notes: "wallet export",
    });
  });

  test.each([
    ["size", "0", /greater than 0/],
    ["size", "-1", /decimal number/],
    ["price", "1e5", /decimal number/],
    ["price", "abc", /decimal number/],
    ["feeUsd", "-0.1", /Fee must be/],
    ["notes", "  ", /at least 3/],
  ])("%s = %j is refused", (field, value, message) => {
    const result = recordCostBasisSchema.safeParse({ ...base, [field]: value });
    expect(result.success).toBe(false);
    expect(result.error!.issues.find((i) => i.path[0] === field)?.message).toMatch(message);
  });
});

describe("dismissal", () => {
  test("'other' needs an explanation; the other reasons do not", () => {
    expect(dismissSchema.safeParse({ id: 1, rowVersion: 1, reason: "other", notes: "" }).success).toBe(false);
    expect(dismissSchema.safeParse({ id: 1, rowVersion: 1, reason: "dust" }).success).toBe(true);
    expect(dismissSchema.safeParse({ id: 1, rowVersion: 1, reason: "because" }).success).toBe(false);
  });

  test("bulk selections arrive as repeated or comma-separated id:version pairs", () => {
    const parsed = bulkDismissSchema.parse({ items: ["1:2", "3:4,5:6"], reason: "duplicate" });
    expect(parsed.items).toEqual([
      { id: 1, rowVersion: 2 },
      { id: 3, rowVersion: 4 },
      { id: 5, rowVersion: 6 },
    ]);
    expect(bulkDismissSchema.safeParse({ items: ["1;drop"], reason: "dust" }).success).toBe(false);
  });
});

describe("the workflow table", () => {
  test("reads like the spec: pending -> in_review -> resolved | dismissed, reopen back to pending", () => {
    expect(canTransition("claim", "pending")).toBe(true);
    expect(canTransition("claim", "in_review")).toBe(false);
    expect(canTransition("resolve", "in_review")).toBe(true);
    expect(canTransition("resolve", "resolved")).toBe(false);
    expect(canTransition("reopen", "dismissed")).toBe(true);
    expect(canTransition("reopen", "pending")).toBe(false);
  });

  test("accepting as explained is for PnL discrepancies; the manual buy for unmatched sells", () => {
    expect(resolutionAllowedFor("explained", "pnl_discrepancy")).toBe(true);
    expect(resolutionAllowedFor("explained", "unmatched_sell")).toBe(false);
    expect(resolutionAllowedFor("cost_basis_recorded", "unmatched_sell")).toBe(true);
    expect(resolutionAllowedFor("cost_basis_recorded", "invalid_trade")).toBe(false);
  });
});
