"use server";
// Server actions of the users page (for useActionState); admin only, checked in user-actions.ts.
import type { ActionResult } from "@/lib/auth/action";
import { changeRoleAction, createUserAction, resetPasswordAction, setDisabledAction, type PasswordHandover } from "./user-actions";

export async function createUser(_prev: ActionResult<PasswordHandover> | null, fd: FormData): Promise<ActionResult<PasswordHandover>> {
  return createUserAction(fd);
}

export async function changeRole(_prev: ActionResult | null, fd: FormData): Promise<ActionResult> {
  return changeRoleAction(fd);
}

export async function setDisabled(_prev: ActionResult | null, fd: FormData): Promise<ActionResult> {
  return setDisabledAction(fd);
}

export async function resetPassword(_prev: ActionResult<PasswordHandover> | null, fd: FormData): Promise<ActionResult<PasswordHandover>> {
  return resetPasswordAction(fd);
}
