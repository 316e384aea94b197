// The versions page's actions (admin): make a version current (gated by the cutover checklist,
// or overridden with a recorded reason), validate a version, follow the bot, set the validation
// period, delete an old version. The checks live in db/ and lib/cutover; VersionAdminError becomes
// the message the operator reads.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { setFollow, setValidationPeriod } from "@/db/queries/follow";
import { deleteVersion, VersionAdminError, versionHasData, type VersionDeletion } from "@/db/queries/version-admin";
import { authorizedAction, UserFacingError } from "@/lib/auth/action";
import { validateAndRecord } from "@/lib/compute/validate-version";
import { makeVersionCurrent } from "@/lib/cutover/make-current";
import { wakeRunner } from "@/lib/jobs/runner";
import { boundedInt, isCalendarDay, MAX_VERSION } from "@/lib/table/url-state";

const version = boundedInt(MAX_VERSION, "Choose a version.");
const checkbox = z.string().optional().transform((v) => v === "on" || v === "true");

async function asUserFacing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof VersionAdminError) throw new UserFacingError(error.message);
    throw error;
  }
}

function revalidateVersionPages(): void {
  revalidatePath("/", "layout");
}

export const makeCurrentSchema = z.object({
  version,
  backupAcknowledged: checkbox,
  overrideReason: z.string().trim().max(2000, "Keep the reason under 2,000 characters.").optional(),
});

export const setCurrentVersionAction = authorizedAction("admin", makeCurrentSchema, async (input, user) => {
  const outcome = await asUserFacing(async () =>
    makeVersionCurrent(await getDb(), {
      version: input.version,
      backupAcknowledged: input.backupAcknowledged,
      overrideReason: input.overrideReason || null,
      by: user.email,
      source: "dashboard",
    }),
  );
  if (!outcome.ok) throw new UserFacingError(outcome.error);
  revalidateVersionPages();
  const how = outcome.record.override_reason ? " (checklist overridden; the reason is recorded)" : "";
  return { ok: true as const, data: { version: input.version }, message: `Version ${input.version} is now the current version${how}.` };
});

export const validateVersionAction = authorizedAction("admin", z.object({ version }), async (input, user) => {
  const db = await getDb();
  if (!(await versionHasData(db, input.version))) throw new UserFacingError(`Version ${input.version} has no computed data to validate.`);
  const record = await validateAndRecord(db, input.version, user.email);
  revalidateVersionPages();
  return {
    ok: true as const,
    data: { passed: record.passed, violations: record.violations },
    message: record.passed
      ? `Version ${input.version}: all invariants hold.`
      : `Version ${input.version}: ${record.violations} violation(s); run validate-allocations for the list.`,
  };
});

export const followSchema = z.object({
  version,
  enabled: z.enum(["true", "false"]).transform((v) => v === "true"),
  intervalSeconds: z.coerce
    .number({ error: "Enter the interval in seconds." })
    .int("Whole seconds.")
    .min(5, "At least 5 seconds.")
    .max(86_400, "At most one day (86,400 seconds).")
    .optional(),
});

export const setFollowAction = authorizedAction("admin", followSchema, async (input, user) => {
  const db = await getDb();
  if (input.enabled && !(await versionHasData(db, input.version))) {
    throw new UserFacingError(`Version ${input.version} has no computed data; run it first, then follow the bot with it.`);
  }
  const state = await setFollow(db, { version: input.version, enabled: input.enabled, intervalSeconds: input.intervalSeconds, changedBy: user.email });
  if (state.enabled) wakeRunner();
  revalidateVersionPages();
  return {
    ok: true as const,
    data: { enabled: state.enabled, intervalSeconds: state.interval_seconds },
    message: state.enabled
      ? `Version ${input.version} follows the bot: new trades are picked up every ${state.interval_seconds} s.`
      : `Version ${input.version} no longer follows the bot.`,
  };
});

const day = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2025-01-31.")
  .refine(isCalendarDay, "Not a real date.");

export const periodSchema = z
  .object({ version, from: day, to: day })
  .refine((p) => p.from <= p.to, { path: ["to"], message: "The end must not be before the start." });

export const setValidationPeriodAction = authorizedAction("admin", periodSchema, async (input, user) => {
  await setValidationPeriod(await getDb(), { version: input.version, from: input.from, to: input.to, changedBy: user.email });
  revalidateVersionPages();
  return { ok: true as const, data: { from: input.from, to: input.to }, message: `Validation period of version ${input.version}: ${input.from} to ${input.to}.` };
});

export const deleteVersionSchema = z
  .object({ version, confirm: z.string().trim() })
  .refine((input) => input.confirm === String(input.version), {
    path: ["confirm"],
    message: "Type the version number to confirm.",
  });

export const deleteVersionAction = authorizedAction("admin", deleteVersionSchema, async (input, user) => {
  const deleted: VersionDeletion = await asUserFacing(async () => deleteVersion(await getDb(), input.version, user.email));
  revalidateVersionPages();
  return {
    ok: true as const,
    data: deleted,
    message:
      `Version ${deleted.version} deleted: ${deleted.allocationsDeleted} allocations, ${deleted.unmatchedSellsDeleted} unmatched sells, ` +
      `${deleted.snapshotsDeleted} snapshots, ${deleted.reviewItemsDeleted} review items. Its runs stay in the history.`,
  };
});
