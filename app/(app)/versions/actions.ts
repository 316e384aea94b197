"use server";
// Server actions of the versions and drift pages (for useActionState); admin only, checked in version-actions.ts.
import type { ActionResult } from "@/lib/auth/action";
import type { VersionDeletion } from "@/db/queries/version-admin";
import {
  deleteVersionAction,
  setCurrentVersionAction,
  setFollowAction,
  setValidationPeriodAction,
  validateVersionAction,
} from "./version-actions";

export async function setCurrentVersion(
  _prev: ActionResult<{ version: number }> | null,
  fd: FormData,
): Promise<ActionResult<{ version: number }>> {
  return setCurrentVersionAction(fd);
}

export async function validateVersion(
  _prev: ActionResult<{ passed: boolean; violations: number }> | null,
  fd: FormData,
): Promise<ActionResult<{ passed: boolean; violations: number }>> {
  return validateVersionAction(fd);
}

export async function setFollow(
  _prev: ActionResult<{ enabled: boolean; intervalSeconds: number }> | null,
  fd: FormData,
): Promise<ActionResult<{ enabled: boolean; intervalSeconds: number }>> {
  return setFollowAction(fd);
}

export async function setValidationPeriod(
  _prev: ActionResult<{ from: string; to: string }> | null,
  fd: FormData,
): Promise<ActionResult<{ from: string; to: string }>> {
  return setValidationPeriodAction(fd);
}

export async function deleteVersion(_prev: ActionResult<VersionDeletion> | null, fd: FormData): Promise<ActionResult<VersionDeletion>> {
  return deleteVersionAction(fd);
}
