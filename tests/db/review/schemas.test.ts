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

  test.each([
    ["2025-02-31 10:00:00", "There is no 2025-02-31: check the day and month"],
    ["2025-02-29 10:00:00", "There is no 2025-02-29: check the day and month"],
    ["2025-04-31T00:00", "There is no 2025-04-31: check the day and month"],
    ["2025-01-01 24:00:00", "Time of day must be between 00:00:00 and 23:59:59"],
    ["2025-01-01 23:59:60", "Time of day must be between 00:00:00 and 23:59:59"],
    ["1999-12-31 23:59:59", "Time must be in the year 2000 or later"],
    ["0001-01-01 00:00:00", "Time must be in the year 2000 or later"],
    ["2025-01-01 00:00:00+15:00", "The UTC offset must be between -14:00 and +14:00"],
  ])("%s gets a message for the field: %s", (typed, message) => {
    expect(utcTime.safeParse(typed).error?.issues[0]?.message).toBe(message);
  });

  test("a leap day and the first second of 2000 are fine", () => {
    expect(utcTime.parse("2024-02-29 12:00:00")).toBe("2024-02-29T12:00:00Z");
    expect(utcTime.parse("2000-01-01 00:00:00")).toBe("2000-01-01T00:00:00Z");
    expect(utcTime.parse("2025-03-01T14:30:05+0200")).toBe("2025-03-01T14:30:05+02:00");
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
