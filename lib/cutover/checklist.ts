// The cutover checklist (seed step 5): what must hold before a version becomes the one reports
// use. Pure: facts in, items and a decision out. The versions page, its action and
// `set-current-version` all evaluate the same list.

export type ChecklistKey = "validated" | "no_open_critical" | "drift_explained" | "backup_acknowledged";

export interface ChecklistItem {
  key: ChecklistKey;
  label: string;
  passed: boolean;
  detail: string;
}

export interface CutoverFacts {
  version: number;
  /** The version's newest succeeded run: a validation must be at least as new. */
  lastSucceededRunId: number | null;
  validation: { computationId: number | null; passed: boolean; violations: number; checkedAt: string; checkedBy: string } | null;
  openCritical: number;
  drift: { from: string; to: string; sells: number; differingSells: number; differingDays: number; unexplainedSells: number; unexplainedExamples: number[] };
  backupAcknowledged: boolean;
}

export interface Checklist {
  version: number;
  items: ChecklistItem[];
  passed: boolean;
}

export const OVERRIDE_REASON_MIN_LENGTH = 10;

function validatedItem(f: CutoverFacts): ChecklistItem {
  const label = "validate-allocations passes on the version's latest results";
  const v = f.validation;
  if (f.lastSucceededRunId === null) return { key: "validated", label, passed: false, detail: "The version has no succeeded run yet." };
  if (!v) return { key: "validated", label, passed: false, detail: "Not validated yet: run the validation." };
  if (v.computationId !== f.lastSucceededRunId) {
    return {
      key: "validated",
      label,
      passed: false,
      detail: `The last validation (${v.checkedAt}) checked run #${v.computationId ?? "?"}; run #${f.lastSucceededRunId} changed the results since. Validate again.`,
    };
  }
  return v.passed
    ? { key: "validated", label, passed: true, detail: `All invariants hold (run #${v.computationId}, checked by ${v.checkedBy} at ${v.checkedAt}).` }
    : { key: "validated", label, passed: false, detail: `${v.violations} violation(s) found at ${v.checkedAt}; see validate-allocations.` };
}

function criticalItem(f: CutoverFacts): ChecklistItem {
  return {
    key: "no_open_critical",
    label: "No open critical review item",
    passed: f.openCritical === 0,
    detail: f.openCritical === 0 ? "None open." : `${f.openCritical} critical item(s) pending or in review.`,
  };
}

function driftItem(f: CutoverFacts): ChecklistItem {
  const d = f.drift;
  const label = `Drift explained for the validation period (${d.from} to ${d.to})`;
  if (d.unexplainedSells > 0) {
    return {
      key: "drift_explained",
      label,
      passed: false,
      detail:
        `${d.unexplainedSells} of ${d.differingSells} differing sell(s) have no cause or an open review item` +
        (d.unexplainedExamples.length ? ` (e.g. trade ${d.unexplainedExamples.join(", ")}).` : "."),
    };
  }
  return {
    key: "drift_explained",
    label,
    passed: true,
    detail:
      d.differingSells === 0
        ? `Old and new agree on all ${d.sells} sell(s) of the period.`
        : `${d.differingSells} differing sell(s) on ${d.differingDays} day(s), every one with a cause and no open review item.`,
  };
}

function backupItem(f: CutoverFacts): ChecklistItem {
  return {
    key: "backup_acknowledged",
    label: "A backup of the database was taken",
    passed: f.backupAcknowledged,
    detail: f.backupAcknowledged ? "Acknowledged." : "Tick the box to confirm a backup exists.",
  };
}

export function evaluateChecklist(facts: CutoverFacts): Checklist {
  const items = [validatedItem(facts), criticalItem(facts), driftItem(facts), backupItem(facts)];
  return { version: facts.version, items, passed: items.every((i) => i.passed) };
}

export type CutoverDecision =
  | { allowed: true; overridden: boolean; overrideReason: string | null }
  | { allowed: false; error: string };

/** A passing checklist allows the cutover; a failing one only with an override reason. */
export function decideCutover(checklist: Checklist, overrideReason?: string | null): CutoverDecision {
  if (checklist.passed) return { allowed: true, overridden: false, overrideReason: null };
  const reason = overrideReason?.trim() ?? "";
  if (reason.length >= OVERRIDE_REASON_MIN_LENGTH) return { allowed: true, overridden: true, overrideReason: reason };
  const failing = checklist.items.filter((i) => !i.passed).map((i) => i.label);
  return {
    allowed: false,
    error:
      `The cutover checklist for version ${checklist.version} is not complete: ${failing.join("; ")}. ` +
      `Complete it, or override with a reason of at least ${OVERRIDE_REASON_MIN_LENGTH} characters.`,
  };
}
