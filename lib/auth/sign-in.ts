// Checking a password sign-in, with rate limiting. Independent of Next (the server action in
// app/sign-in/actions.ts adds the cookie), so it is tested directly against a database.
import { z } from "zod";
import { pruneSignInAttempts, recordSignInAttempt, signInLockout } from "@/db/sessions";
import type { SqlClient } from "@/db/sql-client";
import { isUserDisabled } from "@/db/user-admin";
import { dummyPasswordHash, findUserByEmail, verifyPassword } from "@/db/users";
import type { CurrentUser } from "./session";

export const signInSchema = z.object({
  email: z.string().trim().min(1, "Enter your e-mail address.").max(320, "That e-mail address is too long.").pipe(z.email("Enter a valid e-mail address.")),
  password: z.string().min(1, "Enter your password.").max(1000, "That password is too long."),
});

export type SignInCheck = { ok: true; user: CurrentUser } | { ok: false; error: string };

export const WRONG_CREDENTIALS = "Wrong e-mail address or password.";
export const ACCOUNT_DISABLED = "This account is disabled. Ask an admin to enable it.";

export function tooManyAttemptsMessage(minutes: number): string {
  return `Too many attempts, try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

/** Verifies e-mail + password; records the attempt; refuses while locked out (db/sessions.ts). */
export async function checkSignIn(
  db: SqlClient,
  input: { email: string; password: string; client: string },
  now: Date = new Date(),
): Promise<SignInCheck> {
  const who = { email: input.email, client: input.client };
  const wait = await signInLockout(db, who, now);
  if (wait !== null) return { ok: false, error: tooManyAttemptsMessage(wait) };

  const user = await findUserByEmail(db, input.email);
  const valid = await verifyPassword(input.password, user?.passwordHash ?? (await dummyPasswordHash()));
  await recordSignInAttempt(db, { ...who, succeeded: Boolean(user && valid) }, now);
  if (Math.random() < 0.05) await pruneSignInAttempts(db, now);
  if (!user || !valid) {
    const waitNow = await signInLockout(db, who, now);
    return { ok: false, error: waitNow !== null ? tooManyAttemptsMessage(waitNow) : WRONG_CREDENTIALS };
  }
  // users page: a disabled account cannot sign in (told only to someone who knows its password)
  if (await isUserDisabled(db, user.id)) return { ok: false, error: ACCOUNT_DISABLED };
  return { ok: true, user: { id: user.id, email: user.email, role: user.role } };
}
