// The runs page's actions, wrapped by authorizedAction (role check, zod, errors as values). The
// "use server" entry points in actions.ts call these; tests call either.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { MethodConflictError } from "@/db/compute/methods";
import { RunConflictError } from "@/db/compute/runs";
import { listTradeSymbols, setQueuePaused } from "@/db/queries/runs";
import { nextVersionNumber } from "@/db/queries/version-admin";
import { authorizedAction, UserFacingError } from "@/lib/auth/action";
import { enqueueRun } from "@/lib/compute/run-computation";
import { LOT_METHODS } from "@/lib/fifo";
import { cancelRun } from "@/lib/jobs/cancel";
import { wakeRunner } from "@/lib/jobs/runner";
import { boundedInt, MAX_ID, MAX_VERSION, versionParam } from "@/lib/table/url-state";

export const startRunSchema = z
  .object({
    scope: z.enum(["all", "chosen"], { error: "Choose all symbols or some." }),
    symbols: z.array(z.string().trim().min(1).max(64)).max(5000).default([]),
    version: z.union([z.string(), z.number()], { error: "Choose a version." }).transform((value, ctx): number | "new" => {
      if (value === "new") return "new";
      const version = versionParam(value);
      if (version === undefined) {
        ctx.addIssue({ code: "custom", message: `Choose a version (1 to ${MAX_VERSION}).` });
        return z.NEVER;
      }
      return version;
    }),
    mode: z.enum(["full", "incremental"], { error: "Choose full or incremental." }),
    // Only a new version takes a method; an existing one keeps its own (an empty choice = keep).
    method: z.union([z.literal("").transform(() => undefined), z.enum(LOT_METHODS, { error: "Choose FIFO, LIFO or HIFO." })]).optional(),
  })
  .refine((input) => input.scope === "all" || input.symbols.length > 0, {
    path: ["symbols"],
    message: "Choose at least one symbol, or run all symbols.",
  });

export interface StartedRun {
  runId: number;
  version: number;
}

/** Queues a run and wakes the runner; returns at once with the run's id (the work runs in the background). */
export const startRunAction = authorizedAction("admin", startRunSchema, async (input, user): Promise<StartedRun> => {
  const db = await getDb();
  let symbols: string[] | null = null;
  if (input.scope === "chosen") {
    const known = new Set(await listTradeSymbols(db));
    const unknown = input.symbols.filter((s) => !known.has(s));
    if (unknown.length) {
      throw new UserFacingError("Some symbols have no trades.", { symbols: `No trades for ${unknown.join(", ")}.` });
    }
    symbols = input.symbols;
  }
  const version = input.version === "new" ? await nextVersionNumber(db) : input.version;
  if (version === null) {
    throw new UserFacingError("No version number is left above the largest one in use.", {
      version: "Choose an existing version; version numbers above 2147483647 do not exist.",
    });
  }
  let runId: number;
  try {
    runId = await enqueueRun(db, { version, symbols, mode: input.mode, method: input.method, startedBy: user.email });
  } catch (error) {
    if (error instanceof MethodConflictError) throw new UserFacingError(error.message, { method: error.message });
    if (error instanceof RunConflictError) throw new UserFacingError(error.message);
    throw error;
  }
  wakeRunner();
  revalidatePath("/runs");
  return { runId, version };
});

export const cancelRunSchema = z.object({ runId: boundedInt(MAX_ID, "Missing run") });

export const cancelRunAction = authorizedAction("admin", cancelRunSchema, async ({ runId }, user) => {
  const outcome = await cancelRun(await getDb(), runId, user.email);
  revalidatePath("/runs");
  revalidatePath(`/runs/${runId}`);
  if (outcome.kind === "not_active") throw new UserFacingError(outcome.message);
  return { ok: true as const, data: { runId, outcome: outcome.kind }, message: outcome.message };
});

export const pauseQueueSchema = z.object({ paused: z.enum(["true", "false"]).transform((v) => v === "true") });

/** Holds queued runs back (or lets them go): running runs are not affected. */
export const pauseQueueAction = authorizedAction("admin", pauseQueueSchema, async ({ paused }) => {
  await setQueuePaused(await getDb(), paused);
  if (!paused) wakeRunner();
  revalidatePath("/runs");
  return {
    ok: true as const,
    data: { paused },
    message: paused ? "The queue is paused: queued runs wait until you resume it." : "The queue is running again.",
  };
});
