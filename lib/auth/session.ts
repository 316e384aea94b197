// The signed-in user of the current request: an http-only cookie holding a random token whose
// SHA-256 is a row in app_sessions (db/sessions.ts). Server-only (next/headers).
import { cookies, headers } from "next/headers";
import { cache } from "react";
import { getDb } from "@/db/client";
import { createSession, deleteExpiredSessions, deleteSession, findSessionUser } from "@/db/sessions";
import { clientAddressFrom } from "./client-address";
import type { Role } from "./roles";
import { SESSION_COOKIE } from "./session-cookie";

export { SESSION_COOKIE };

export interface CurrentUser {
  id: number;
  email: string;
  role: Role;
}

/**
 * The signed-in user, or null. Looks the cookie's token up on every request (so sign-out and
 * expiry take effect at once); React's cache() makes it one query per server render.
 */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) return null;
  const user = await findSessionUser(await getDb(), token);
  return user ? { id: user.id, email: user.email, role: user.role } : null;
});

/**
 * Creates a session row for the user and sets the cookie. Server actions / route handlers only.
 * The browser's previous session (if any) is deleted, so a token planted before sign-in never
 * becomes a signed-in one, and expired sessions are swept while we are here.
 */
export async function startSession(userId: number): Promise<void> {
  const db = await getDb();
  const jar = await cookies();
  const previous = jar.get(SESSION_COOKIE)?.value;
  if (previous) await deleteSession(db, previous);
  await deleteExpiredSessions(db);
  const { token, expiresAt } = await createSession(db, userId);
  jar.set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: await requestIsHttps(),
    path: "/",
    expires: expiresAt,
  });
}

/** Deletes the current session row and the cookie. Server actions / route handlers only. */
export async function endSession(): Promise<void> {
  const jar = await cookies();
  const token = jar.get(SESSION_COOKIE)?.value;
  if (token) await deleteSession(await getDb(), token);
  jar.delete(SESSION_COOKIE);
}

/**
 * Whether to mark the cookie `Secure`: when the request came over https (directly or per
 * X-Forwarded-Proto from a proxy). Plain http (local use, the e2e tests) gets a non-Secure cookie,
 * or browsers would drop it. COOKIE_SECURE=1 (behind an https proxy that sends no
 * X-Forwarded-Proto) or COOKIE_SECURE=0 overrides.
 */
export async function requestIsHttps(env: Record<string, string | undefined> = process.env): Promise<boolean> {
  const forced = env.COOKIE_SECURE?.trim().toLowerCase();
  if (forced === "1" || forced === "true") return true;
  if (forced === "0" || forced === "false") return false;
  const h = await headers();
  const proto = h.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  if (proto) return proto === "https";
  return (h.get("origin") ?? "").startsWith("https://");
}

/** The client's address for slowing down sign-in guesses ("" unless TRUST_PROXY; see client-address.ts). */
export async function clientAddress(): Promise<string> {
  return clientAddressFrom(await headers());
}

/** Long-lived cookie naming a browser that signed in before (its own sign-in bucket). */
export const DEVICE_COOKIE = "fifo_device";
const DEVICE_TTL_MS = 180 * 24 * 60 * 60 * 1000;

export async function deviceToken(): Promise<string | undefined> {
  return (await cookies()).get(DEVICE_COOKIE)?.value;
}

export async function setDeviceToken(token: string): Promise<void> {
  (await cookies()).set(DEVICE_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: await requestIsHttps(),
    path: "/sign-in",
    expires: new Date(Date.now() + DEVICE_TTL_MS),
  });
}
