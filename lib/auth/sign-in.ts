// Checking a password sign-in, slowed down per account and client. Independent of Next (the
// server action in app/sign-in/actions.ts adds the cookies), so it is tested directly against a
// database. Order matters: the attempt is admitted (and counted) before any password is hashed.
import { z } from "zod";
import { pruneSignInAttempts, recordSignInAttempt } from "@/db/sessions";
import {
  admitSignInAttempt, clearThrottleBucket, pruneSignInState, recognizedDevice, refundThrottleAttempt, rememberDevice, type ThrottleBucket,
} from "@/db/sign-in-throttle";
import type { SqlClient } from "@/db/sql-client";
import { isUserDisabled } from "@/db/user-admin";
import { dummyPasswordHash, findUserByEmail, verifyPassword } from "@/db/users";
import { SignInBusyError, withHashSlot } from "./hash-gate";
import { PASSWORD_TOO_LONG, passwordFits } from "./password";
import type { CurrentUser } from "./session";
import { SIGN_IN_RULES, tooManyAttemptsMessage } from "./throttle-policy";

export const signInSchema = z.object({
  email: z.string().trim().min(1, "Enter your e-mail address.").max(320, "That e-mail address is too long.").pipe(z.email("Enter a valid e-mail address.")),
  password: z.string().min(1, "Enter your password.").max(1000, "That password is too long.").refine(passwordFits, PASSWORD_TOO_LONG),
});

export type SignInCheck =
  | { ok: true; user: CurrentUser; newDeviceToken: string | null }
  | { ok: false; error: string };

export const WRONG_CREDENTIALS = "Wrong e-mail address or password.";
export const ACCOUNT_DISABLED = "This account is disabled. Ask an admin to enable it.";

export interface SignInInput {
  email: string;
  password: string;
  /** the client's address when known (lib/auth/client-address.ts), else "" */
  client: string;
  /** the device cookie this browser got from an earlier successful sign-in, if any */
  device?: string;
}

/**
 * The buckets an attempt counts against. A device that signed in as this e-mail before has its
 * own bucket, so strangers hammering the address never slow its owner down; anyone else counts
 * against the (e-mail, client) bucket and the client's bucket.
 */
export function signInBuckets(email: string, client: string, device: string | null): ThrottleBucket[] {
  if (device) return [{ key: `account:${email}|${device}`, rule: SIGN_IN_RULES.account }];
  return [
    { key: `account:${email}|ip:${client}`, rule: SIGN_IN_RULES.account },
    { key: `client:${client}`, rule: SIGN_IN_RULES.client },
  ];
}

export async function checkSignIn(db: SqlClient, input: SignInInput, now: Date = new Date()): Promise<SignInCheck> {
  const email = input.email.trim().toLowerCase();
  const device = await recognizedDevice(db, email, input.device);
  const buckets = signInBuckets(email, input.client, device);
  const admission = await admitSignInAttempt(db, buckets, now);
  if (!admission.admitted) return { ok: false, error: tooManyAttemptsMessage(admission.waitSeconds) };

  let user, valid;
  try {
    [user, valid] = await withHashSlot(async () => {
      const found = await findUserByEmail(db, email);
      return [found, await verifyPassword(input.password, found?.passwordHash ?? (await dummyPasswordHash()))] as const;
    });
  } catch (error) {
    if (error instanceof SignInBusyError) return { ok: false, error: error.message };
    throw error;
  }
  const succeeded = Boolean(user && valid);
  await recordSignInAttempt(db, { email, client: input.client, succeeded }, now);
  if (Math.random() < 0.02) {
    await pruneSignInAttempts(db, now);
    await pruneSignInState(db, now);
  }
  if (!user || !succeeded) return { ok: false, error: WRONG_CREDENTIALS };
  // users page: a disabled account cannot sign in (told only to someone who knows its password)
  if (await isUserDisabled(db, user.id)) return { ok: false, error: ACCOUNT_DISABLED };
  const [accountBucket, ...shared] = buckets;
  await clearThrottleBucket(db, accountBucket!.key);
  for (const bucket of shared) await refundThrottleAttempt(db, bucket);
  return {
    ok: true,
    user: { id: user.id, email: user.email, role: user.role },
    newDeviceToken: device ? null : await rememberDevice(db, email, now),
  };
}
