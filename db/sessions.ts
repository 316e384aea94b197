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
  const found = await findSessionUserWithSnapshot(db, token, now);
  return found && { id: found.id, email: found.email, role: found.role };
}

/**
 * The user behind a cookie token together with the database snapshot this statement saw
 * (`pg_current_snapshot()`), in one round trip: the key of the rendered-page cache
 * (lib/http/page-cache.ts).
 */
export async function findSessionUserWithSnapshot(
  db: SqlClient,
  token: string,
  now: Date = new Date(),
): Promise<(SessionUser & { snapshot: string }) | null> {
  if (!token || token.length > 200) return null;
  const [row] = await db.query<SessionUser & { snapshot: string }>(
    `SELECT u.id, u.email, u.role, pg_current_snapshot()::text AS snapshot
     FROM app_sessions s JOIN app_users u ON u.id = s.user_id
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

// --- sign-in attempts (an audit trail; the slowdown itself is db/sign-in-throttle.ts) -----------

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

/** Forgets old attempts (older than a day); called now and then on sign-in. */
export async function pruneSignInAttempts(db: SqlClient, now: Date = new Date()): Promise<void> {
  await db.query(`DELETE FROM app_sign_in_attempts WHERE attempted_at < $1::timestamptz - interval '1 day'`, [now.toISOString()]);
}
