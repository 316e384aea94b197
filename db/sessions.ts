// Server-side sessions (app_sessions) and sign-in attempts (app_sign_in_attempts). The cookie
// holds a random 32-byte token; the table stores only its SHA-256, so a leaked table cannot be
// replayed as cookies.
import { createHash, randomBytes } from "node:crypto";
import type { Role } from "@/lib/auth/roles";
import type { SqlClient } from "./sql-client";

export const SESSION_TTL_DAYS = 7;
export const SESSION_TTL_MS = SESSION_TTL_DAYS * 24 * 60 * 60 * 1000;

export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export interface NewSession {
  token: string;
  expiresAt: Date;
}

export async function createSession(db: SqlClient, userId: number, now: Date = new Date()): Promise<NewSession> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await db.query(`INSERT INTO app_sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`, [
    hashSessionToken(token),
    userId,
    now.toISOString(),
    expiresAt.toISOString(),
  ]);
  return { token, expiresAt };
}

export interface SessionUser {
  id: number;
  email: string;
  role: Role;
}

/** The user behind a cookie token, or null when the token is unknown or expired, or the user disabled. */
export async function findSessionUser(db: SqlClient, token: string, now: Date = new Date()): Promise<SessionUser | null> {
  if (!token || token.length > 200) return null;
  const [row] = await db.query<SessionUser>(
    `SELECT u.id, u.email, u.role FROM app_sessions s JOIN app_users u ON u.id = s.user_id
     WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL`,
    [hashSessionToken(token), now.toISOString()],
  );
  return row ?? null;
}

export async function deleteSession(db: SqlClient, token: string): Promise<void> {
  await db.query(`DELETE FROM app_sessions WHERE token_hash = $1`, [hashSessionToken(token)]);
}

export async function deleteExpiredSessions(db: SqlClient, now: Date = new Date()): Promise<number> {
  const rows = await db.query(`DELETE FROM app_sessions WHERE expires_at <= $1 RETURNING token_hash`, [now.toISOString()]);
  return rows.length;
}

// --- sign-in attempts and rate limiting ---------------------------------------------------------

export const SIGN_IN_LIMITS = {
  windowMinutes: 15,
  /** failed attempts per e-mail address (since its last successful sign-in) within the window */
  perEmail: 5,
  /** failed attempts per client (IP address) within the window, whatever the e-mail */
  perClient: 20,
} as const;

export async function recordSignInAttempt(
  db: SqlClient,
  attempt: { email: string; client: string; succeeded: boolean },
  now: Date = new Date(),
): Promise<void> {
  await db.query(`INSERT INTO app_sign_in_attempts (email, client, succeeded, attempted_at) VALUES ($1, $2, $3, $4)`, [
    attempt.email.trim().toLowerCase(),
    attempt.client,
    attempt.succeeded,
    now.toISOString(),
  ]);
}

/**
 * Minutes until the next attempt is allowed (at least 1), or null when not locked out. Locked
 * when the e-mail has `perEmail` failures since its last success in the window, or the client
 * has `perClient` failures in the window. The lock lifts when the oldest counted failure leaves
 * the window.
 */
export async function signInLockout(
  db: SqlClient,
  who: { email: string; client: string },
  now: Date = new Date(),
): Promise<number | null> {
  const { windowMinutes, perEmail, perClient } = SIGN_IN_LIMITS;
  const [row] = await db.query<{ email_wait: string | null; client_wait: string | null }>(
    `WITH params AS (SELECT $3::timestamptz AS now, make_interval(mins => $4) AS win),
     email_failures AS (
       SELECT a.attempted_at FROM app_sign_in_attempts a, params p
       WHERE a.email = $1 AND NOT a.succeeded AND a.attempted_at > p.now - p.win AND a.attempted_at <= p.now
         AND a.attempted_at > coalesce((SELECT max(attempted_at) FROM app_sign_in_attempts
                                        WHERE email = $1 AND succeeded AND attempted_at <= p.now), '-infinity')
       ORDER BY a.attempted_at DESC OFFSET $5 - 1 LIMIT 1
     ),
     client_failures AS (
       SELECT a.attempted_at FROM app_sign_in_attempts a, params p
       WHERE $2 <> '' AND a.client = $2 AND NOT a.succeeded AND a.attempted_at > p.now - p.win AND a.attempted_at <= p.now
       ORDER BY a.attempted_at DESC OFFSET $6 - 1 LIMIT 1
     )
     SELECT (SELECT extract(epoch FROM e.attempted_at + p.win - p.now)::text FROM email_failures e) AS email_wait,
            (SELECT extract(epoch FROM c.attempted_at + p.win - p.now)::text FROM client_failures c) AS client_wait
     FROM params p`,
    [who.email.trim().toLowerCase(), who.client, now.toISOString(), windowMinutes, perEmail, perClient],
  );
  const waits = [row?.email_wait, row?.client_wait].filter((w): w is string => w != null).map(Number);
  if (waits.length === 0) return null;
  return Math.max(1, Math.ceil(Math.max(...waits) / 60));
}

/** Forgets old attempts (older than a day); called now and then on sign-in. */
export async function pruneSignInAttempts(db: SqlClient, now: Date = new Date()): Promise<void> {
  await db.query(`DELETE FROM app_sign_in_attempts WHERE attempted_at < $1::timestamptz - interval '1 day'`, [now.toISOString()]);
}
