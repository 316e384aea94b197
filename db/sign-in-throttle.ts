// Sign-in slowdown buckets (app_sign_in_throttle) and recognized devices (app_sign_in_devices).
// An attempt is admitted or refused before any password is hashed: the buckets it counts against
// are locked in key order, checked, and counted in one short transaction, so parallel requests
// for the same bucket queue behind each other's row lock and cannot all slip through.
import { createHash, randomBytes } from "node:crypto";
import { afterAttempt, type BucketRule, type BucketState, SIGN_IN_WINDOW_SECONDS, waitSeconds } from "@/lib/auth/throttle-policy";
import type { SqlClient } from "./sql-client";

export interface ThrottleBucket {
  key: string;
  rule: BucketRule;
}

export type Admission = { admitted: true } | { admitted: false; waitSeconds: number };

interface BucketRow {
  key: string;
  attempts: number;
  last_ms: number;
  blocked_ms: number;
}

const toState = (row: BucketRow): BucketState => ({
  attempts: row.attempts,
  lastAttemptAt: new Date(Number(row.last_ms)),
  blockedUntil: new Date(Number(row.blocked_ms)),
});

/** Counts one attempt against every bucket, or none when any bucket still makes it wait. */
export async function admitSignInAttempt(db: SqlClient, buckets: readonly ThrottleBucket[], now: Date = new Date()): Promise<Admission> {
  const sorted = [...new Map(buckets.map((b) => [b.key, b])).values()].sort((a, b) => (a.key < b.key ? -1 : 1));
  const keys = sorted.map((b) => b.key);
  return db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO app_sign_in_throttle (key, attempts, last_attempt_at, blocked_until)
       SELECT k, 0, '-infinity', '-infinity' FROM unnest($1::text[]) AS k ORDER BY k
       ON CONFLICT (key) DO NOTHING`,
      [keys],
    );
    const rows = await tx.query<BucketRow>(
      `SELECT key, attempts, (extract(epoch FROM last_attempt_at) * 1000)::float8 AS last_ms,
         (extract(epoch FROM blocked_until) * 1000)::float8 AS blocked_ms FROM app_sign_in_throttle
       WHERE key = ANY ($1::text[]) ORDER BY key FOR UPDATE`,
      [keys],
    );
    const byKey = new Map(rows.map((r) => [r.key, r]));
    const state = (key: string) => {
      const row = byKey.get(key);
      return row && row.attempts > 0 ? toState(row) : null;
    };
    const wait = Math.max(0, ...sorted.map((b) => waitSeconds(state(b.key), now)));
    if (wait > 0) return { admitted: false, waitSeconds: wait };
    const next = sorted.map((b) => afterAttempt(state(b.key), b.rule, now));
    await tx.query(
      `UPDATE app_sign_in_throttle t SET attempts = n.attempts, last_attempt_at = n.last_at, blocked_until = n.blocked_until
       FROM unnest($1::text[], $2::int[], $3::timestamptz[], $4::timestamptz[]) AS n(key, attempts, last_at, blocked_until)
       WHERE t.key = n.key`,
      [keys, next.map((s) => s.attempts), next.map((s) => s.lastAttemptAt.toISOString()), next.map((s) => s.blockedUntil.toISOString())],
    );
    return { admitted: true };
  });
}

/** A successful sign-in clears its account bucket (the owner starts afresh). */
export async function clearThrottleBucket(db: SqlClient, key: string): Promise<void> {
  await db.query(`DELETE FROM app_sign_in_throttle WHERE key = $1`, [key]);
}

/**
 * A successful sign-in gives its attempt back to a shared bucket (the client's), so colleagues
 * signing in from one address all day are never slowed; only failures add up there.
 */
export async function refundThrottleAttempt(db: SqlClient, bucket: ThrottleBucket): Promise<void> {
  await db.query(
    `UPDATE app_sign_in_throttle SET attempts = greatest(attempts - 1, 0),
       blocked_until = CASE WHEN attempts - 1 < $2 THEN '-infinity' ELSE blocked_until END
     WHERE key = $1`,
    [bucket.key, bucket.rule.free],
  );
}

/** Forgets buckets and devices nobody used for a long time; called now and then on sign-in. */
export async function pruneSignInState(db: SqlClient, now: Date = new Date()): Promise<void> {
  await db.query(`DELETE FROM app_sign_in_throttle WHERE last_attempt_at < $1::timestamptz - make_interval(secs => $2)`, [
    now.toISOString(),
    SIGN_IN_WINDOW_SECONDS * 2,
  ]);
  await db.query(`DELETE FROM app_sign_in_devices WHERE last_used_at < $1::timestamptz - interval '180 days'`, [now.toISOString()]);
}

// --- devices that signed in before -------------------------------------------------------------

const hashDeviceToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** A new device token for `email` (the browser keeps it in a long-lived cookie). */
export async function rememberDevice(db: SqlClient, email: string, now: Date = new Date()): Promise<string> {
  const token = randomBytes(24).toString("base64url");
  await db.query(`INSERT INTO app_sign_in_devices (token_hash, email, created_at, last_used_at) VALUES ($1, $2, $3, $3)`, [
    hashDeviceToken(token),
    email.trim().toLowerCase(),
    now.toISOString(),
  ]);
  return token;
}

/** The device's bucket id when `token` signed in as `email` before, else null. */
export async function recognizedDevice(db: SqlClient, email: string, token: string | undefined): Promise<string | null> {
  if (!token || token.length > 100) return null;
  const hash = hashDeviceToken(token);
  const [row] = await db.query<{ token_hash: string }>(
    `UPDATE app_sign_in_devices SET last_used_at = now() WHERE token_hash = $1 AND email = $2 RETURNING token_hash`,
    [hash, email.trim().toLowerCase()],
  );
  return row ? `device:${row.token_hash.slice(0, 32)}` : null;
}
