// What the users page changes (admins manage users): create, change role, disable/enable, reset
// a password. Each change and its record in app_user_changes commit together. The last enabled
// admin can never be demoted or disabled: the check locks every enabled admin row first, so two
// admins demoting each other at once are serialized and one of them is refused.
import type { Role } from "@/lib/auth/roles";
import type { SqlClient } from "./sql-client";
import { DuplicateEmailError, hashPassword } from "./users";

export interface UserListRow {
  id: number;
  email: string;
  role: Role;
  createdAt: string;
  disabledAt: string | null;
  activeSessions: number;
}

export type UserChangeAction = "created" | "role_changed" | "disabled" | "enabled" | "password_reset";

export interface UserChangeRow {
  id: number;
  userId: number | null;
  userEmail: string;
  actor: string;
  action: UserChangeAction;
  details: Record<string, unknown>;
  changedAt: string;
}

/** Who makes a change: a signed-in admin, or a command (actorUserId null). */
export interface Actor {
  userId: number | null;
  name: string;
}

/** A change the rules refuse; the message is for the admin. */
export class UserAdminError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UserAdminError";
  }
}

export const LAST_ADMIN_MESSAGE = "This is the last enabled admin: make another user admin first.";

export async function listUsersForAdmin(db: SqlClient, now: Date = new Date()): Promise<UserListRow[]> {
  return db.query<UserListRow>(
    `SELECT u.id, u.email, u.role, u.created_at AS "createdAt", u.disabled_at AS "disabledAt",
            (SELECT count(*)::int FROM app_sessions s WHERE s.user_id = u.id AND s.expires_at > $1) AS "activeSessions"
     FROM app_users u ORDER BY lower(u.email)`,
    [now.toISOString()],
  );
}

export async function recentUserChanges(db: SqlClient, limit = 50): Promise<UserChangeRow[]> {
  return db.query<UserChangeRow>(
    `SELECT id, user_id AS "userId", user_email AS "userEmail", actor, action, details, changed_at AS "changedAt"
     FROM app_user_changes ORDER BY changed_at DESC, id DESC LIMIT $1`,
    [limit],
  );
}

/** Records a change made elsewhere (the user:create command); the page's changes record themselves. */
export async function recordChange(
  tx: SqlClient,
  actor: Actor,
  user: { id: number; email: string },
  action: UserChangeAction,
  details: Record<string, unknown> = {},
): Promise<void> {
  await tx.query(
    `INSERT INTO app_user_changes (user_id, user_email, actor_user_id, actor, action, details) VALUES ($1, $2, $3, $4, $5, $6::jsonb)`,
    [user.id, user.email, actor.userId, actor.name, action, JSON.stringify(details)],
  );
}

interface LockedUser {
  id: number;
  email: string;
  role: Role;
  disabled: boolean;
}

/**
 * Locks the enabled admins and the target (in id order, so concurrent calls cannot deadlock) and
 * returns the target and how many enabled admins there are.
 */
async function lockForChange(tx: SqlClient, userId: number): Promise<{ user: LockedUser; enabledAdmins: number }> {
  const rows = await tx.query<LockedUser>(
    `SELECT id, email, role, disabled_at IS NOT NULL AS disabled FROM app_users
     WHERE (role = 'admin' AND disabled_at IS NULL) OR id = $1 ORDER BY id FOR UPDATE`,
    [userId],
  );
  const user = rows.find((r) => Number(r.id) === userId);
  if (!user) throw new UserAdminError("No such user.");
  const enabledAdmins = rows.filter((r) => r.role === "admin" && !r.disabled).length;
  return { user: { ...user, id: Number(user.id) }, enabledAdmins };
}

function isLastEnabledAdmin(target: { user: LockedUser; enabledAdmins: number }): boolean {
  return target.user.role === "admin" && !target.user.disabled && target.enabledAdmins <= 1;
}

export async function createUserAsAdmin(
  db: SqlClient,
  actor: Actor,
  input: { email: string; role: Role; password: string },
): Promise<{ id: number; email: string; role: Role }> {
  const email = input.email.trim();
  const hash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx.query<{ id: number; email: string; role: Role }>(
        `INSERT INTO app_users (email, password_hash, role) VALUES ($1, $2, $3) RETURNING id, email, role`,
        [email, hash, input.role],
      );
      const user = { ...row!, id: Number(row!.id) };
      await recordChange(tx, actor, user, "created", { role: input.role });
      return user;
    });
  } catch (error) {
    if ((error as { code?: string }).code === "23505") throw new DuplicateEmailError(email);
    throw error;
  }
}

export async function changeUserRole(db: SqlClient, actor: Actor, userId: number, role: Role): Promise<{ email: string; changed: boolean }> {
  return db.transaction(async (tx) => {
    const target = await lockForChange(tx, userId);
    if (target.user.role === role) return { email: target.user.email, changed: false };
    if (role !== "admin" && isLastEnabledAdmin(target)) throw new UserAdminError(LAST_ADMIN_MESSAGE);
    await tx.query(`UPDATE app_users SET role = $2 WHERE id = $1`, [userId, role]);
    await recordChange(tx, actor, target.user, "role_changed", { from: target.user.role, to: role });
    return { email: target.user.email, changed: true };
  });
}

/** Disabling also ends the user's sessions at once; an enabled user signs in with the old password. */
export async function setUserDisabled(
  db: SqlClient,
  actor: Actor,
  userId: number,
  disabled: boolean,
): Promise<{ email: string; changed: boolean }> {
  return db.transaction(async (tx) => {
    const target = await lockForChange(tx, userId);
    if (target.user.disabled === disabled) return { email: target.user.email, changed: false };
    if (disabled && isLastEnabledAdmin(target)) throw new UserAdminError(LAST_ADMIN_MESSAGE);
    await tx.query(`UPDATE app_users SET disabled_at = CASE WHEN $2 THEN now() END WHERE id = $1`, [userId, disabled]);
    if (disabled) await tx.query(`DELETE FROM app_sessions WHERE user_id = $1`, [userId]);
    await recordChange(tx, actor, target.user, disabled ? "disabled" : "enabled");
    return { email: target.user.email, changed: true };
  });
}

/** Sets a new password and signs the user out everywhere. */
export async function resetUserPassword(db: SqlClient, actor: Actor, userId: number, password: string): Promise<{ email: string }> {
  const hash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: number; email: string }>(
      `UPDATE app_users SET password_hash = $2 WHERE id = $1 RETURNING id, email`,
      [userId, hash],
    );
    if (!row) throw new UserAdminError("No such user.");
    await tx.query(`DELETE FROM app_sessions WHERE user_id = $1`, [userId]);
    await recordChange(tx, actor, { id: Number(row.id), email: row.email }, "password_reset");
    return { email: row.email };
  });
}

export async function isUserDisabled(db: SqlClient, userId: number): Promise<boolean> {
  const [row] = await db.query<{ disabled: boolean }>(`SELECT disabled_at IS NOT NULL AS disabled FROM app_users WHERE id = $1`, [userId]);
  return row?.disabled ?? false;
}
