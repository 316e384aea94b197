"use server";
// Server actions of the runs pages (for useActionState). All need the admin role; the checks are
// in run-actions.ts (authorizedAction), so calling these directly is refused the same way.
import { redirect } from "next/navigation";
import type { ActionResult } from "@/lib/auth/action";
import { cancelRunAction, pauseQueueAction, startRunAction, type StartedRun } from "./run-actions";

/** Queues a run and goes to its page, where its progress shows. */
export async function startRun(_prev: ActionResult<StartedRun> | null, fd: FormData): Promise<ActionResult<StartedRun>> {
  const result = await startRunAction(fd);
  if (result.ok) redirect(`/runs/${result.data.runId}`);
  return result;
}

export async function cancelRun(
  _prev: ActionResult<{ runId: number; outcome: string }> | null,
  fd: FormData,
): Promise<ActionResult<{ runId: number; outcome: string }>> {
  return cancelRunAction(fd);
}

export async function pauseQueue(
  _prev: ActionResult<{ paused: boolean }> | null,
  fd: FormData,
): Promise<ActionResult<{ paused: boolean }>> {
  return pauseQueueAction(fd);
}
