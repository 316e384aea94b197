"use server";
// Sign-in and sign-out. Not authorizedAction(): signing in is the one action without a user.
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import type { ActionResult } from "@/lib/auth/action";
import { isSafeNextPath } from "@/lib/auth/guard";
import { checkSignIn, signInSchema } from "@/lib/auth/sign-in";
import { clientAddress, deviceToken, endSession, setDeviceToken, startSession } from "@/lib/auth/session";

export async function signIn(_prev: ActionResult | null, fd: FormData): Promise<ActionResult> {
  const email = String(fd.get("email") ?? "");
  const next = String(fd.get("next") ?? "");
  const parsed = signInSchema.safeParse({ email, password: String(fd.get("password") ?? "") });
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? "")] ??= issue.message;
    return { ok: false, error: "Please correct the highlighted fields.", fieldErrors, values: { email } };
  }
  let check;
  try {
    check = await checkSignIn(await getDb(), { ...parsed.data, client: await clientAddress(), device: await deviceToken() });
  } catch (error) {
    console.error("[sign-in] unexpected error:", error);
    return { ok: false, error: "Something went wrong; please try again.", values: { email } };
  }
  if (!check.ok) return { ok: false, error: check.error, values: { email } };
  await startSession(check.user.id);
  if (check.newDeviceToken) await setDeviceToken(check.newDeviceToken);
  redirect(isSafeNextPath(next) ? next : "/");
}

export async function signOut(): Promise<void> {
  await endSession();
  redirect("/sign-in");
}
