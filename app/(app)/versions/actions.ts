"use server";
// Server actions of the versions page (for useActionState); admin only, checked in version-actions.ts.
import type { ActionResult } from "@/lib/auth/action";
import type { VersionDeletion } from "@/db/queries/version-admin";
import { deleteVersionAction, setCurrentVersionAction } from "./version-actions";

export async function setCurrentVersion(
  _prev: ActionResult<{ version: number }> | null,
  fd: FormData,
): Promise<ActionResult<{ version: number }>> {
  return setCurrentVersionAction(fd);
}

export async function deleteVersion(_prev: ActionResult<VersionDeletion> | null, fd: FormData): Promise<ActionResult<VersionDeletion>> {
  return deleteVersionAction(fd);
}
