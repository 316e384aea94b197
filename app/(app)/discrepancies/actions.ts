"use server";
// Reviewers decide about causes: accept one for a version (settles its items now and in later
// runs) or undo such a decision. Both go through authorizedAction (reviewer role, zod).
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { acceptCause, undoCauseDecision } from "@/db/review/cause-decisions";
import { UserFacingError, authorizedAction } from "@/lib/auth/action";
import { isAcceptableCause } from "@/lib/compute/discrepancy-causes";
import { ReviewRefusedError } from "@/lib/review/errors";
import { boundedInt, MAX_ID, MAX_VERSION } from "@/lib/table/url-state";

const reason = z.string().trim().min(3, "Say why, in a few words").max(2000, "At most 2,000 characters");

const acceptCauseSchema = z.object({
  version: boundedInt(MAX_VERSION, "Choose a version."),
  cause: z.string().refine(isAcceptableCause, "Choose a cause that explains the difference"),
  reason,
});

const undoCauseSchema = z.object({ decisionId: boundedInt(MAX_ID, "Choose a decision."), reason });

async function refusalsAsMessages<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ReviewRefusedError) throw new UserFacingError(error.message, error.fieldErrors);
    throw error;
  }
}

function revalidateCausePages() {
  revalidatePath("/discrepancies");
  revalidatePath("/review", "layout");
  revalidatePath("/");
}

export const acceptCauseAction = authorizedAction("reviewer", acceptCauseSchema, async (input, user) => {
  const { settled } = await refusalsAsMessages(async () => acceptCause(await getDb(), input, user));
  revalidateCausePages();
  return {
    ok: true as const,
    data: { settled },
    message: `Cause accepted for version ${input.version}: ${settled} open ${settled === 1 ? "item" : "items"} settled.`,
  };
});

export const undoCauseAction = authorizedAction("reviewer", undoCauseSchema, async (input, user) => {
  const { reopened } = await refusalsAsMessages(async () => undoCauseDecision(await getDb(), input, user));
  revalidateCausePages();
  return {
    ok: true as const,
    data: { settled: -reopened },
    message: `Decision undone: ${reopened} ${reopened === 1 ? "item" : "items"} reopened; the next run opens the rest.`,
  };
});
