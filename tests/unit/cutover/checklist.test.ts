// The cutover checklist as a table of cases: facts in, which items fail and what the decision is.
import { describe, expect, test } from "vitest";
import { decideCutover, evaluateChecklist, type CutoverFacts } from "@/lib/cutover/checklist";
import { followRunNeeded } from "@/lib/jobs/follow";

const ready: CutoverFacts = {
  version: 2,
  lastSucceededRunId: 7,
  validation: { computationId: 7, passed: true, violations: 0, checkedAt: "2025-06-01 10:00:00+00", checkedBy: "a@example.com" },
  openCritical: 0,
  drift: { from: "2025-05-01", to: "2025-05-30", sells: 40, differingSells: 3, differingDays: 2, unexplainedSells: 0, unexplainedExamples: [] },
  backupAcknowledged: true,
};
const failingKeys = (facts: CutoverFacts) => evaluateChecklist(facts).items.filter((i) => !i.passed).map((i) => i.key);

describe("evaluateChecklist", () => {
  test.each<[string, Partial<CutoverFacts>, string[]]>([
    ["everything holds", {}, []],
    ["never validated", { validation: null }, ["validated"]],
    ["validated an older run", { lastSucceededRunId: 8 }, ["validated"]],
    ["validation found violations", { validation: { ...ready.validation!, passed: false, violations: 2 } }, ["validated"]],
    ["no succeeded run at all", { lastSucceededRunId: null, validation: null }, ["validated"]],
    ["an open critical item", { openCritical: 1 }, ["no_open_critical"]],
    ["unexplained drift", { drift: { ...ready.drift, unexplainedSells: 1, unexplainedExamples: [42] } }, ["drift_explained"]],
    ["no backup", { backupAcknowledged: false }, ["backup_acknowledged"]],
  ])("%s", (_name, change, expected) => {
    expect(failingKeys({ ...ready, ...change })).toEqual(expected);
  });

  test("the drift item names the period and example trades", () => {
    const item = evaluateChecklist({ ...ready, drift: { ...ready.drift, unexplainedSells: 2, unexplainedExamples: [42, 43] } }).items[2]!;
    expect(item.label).toBe("Drift explained for the validation period (2025-05-01 to 2025-05-30)");
    expect(item.detail).toBe("2 of 3 differing sell(s) have no cause or an open review item (e.g. trade 42, 43).");
  });
});

describe("decideCutover", () => {
  const failing = evaluateChecklist({ ...ready, openCritical: 3 });
  test("a passing checklist needs no reason", () => {
    expect(decideCutover(evaluateChecklist(ready))).toEqual({ allowed: true, overridden: false, overrideReason: null });
  });
  test("a failing checklist is refused without a reason of 10 characters or more", () => {
    for (const reason of [undefined, null, "", "   short  "]) {
      const decision = decideCutover(failing, reason);
      expect(decision.allowed).toBe(false);
      expect(!decision.allowed && decision.error).toContain("No open critical review item");
    }
  });
  test("an admin's reason overrides it and is kept, trimmed", () => {
    expect(decideCutover(failing, "  accountant approved the open items  ")).toEqual({
      allowed: true,
      overridden: true,
      overrideReason: "accountant approved the open items",
    });
  });
});

describe("followRunNeeded", () => {
  const check = { allocation_version: 1, last_trades_stamp: "10:99", last_run_id: 5, last_run_status: "succeeded" };
  test.each<[string, Partial<typeof check>, string, boolean]>([
    ["same trades, last run succeeded", {}, "10:99", false],
    ["new trades", {}, "11:100", true],
    ["never ran for following", { last_run_id: null as unknown as number }, "10:99", true],
    ["last follow run failed", { last_run_status: "failed" }, "10:99", true],
  ])("%s", (_name, change, stamp, expected) => {
    expect(followRunNeeded({ ...check, ...change }, stamp)).toBe(expected);
  });
});
