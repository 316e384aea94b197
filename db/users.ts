// Dashboard users (app_users). E-mail addresses are unique case-insensitively; passwords are
// stored as bcrypt hashes only. Hashing uses the native binding (@node-rs/bcrypt), which runs on
// libuv's thread pool, not the event loop, and reads the $2a$/$2b$ hashes bcryptjs wrote before.
import { hash as bcryptHash, verify as bcryptVerify } from "@node-rs/bcrypt";
import { PASSWORD_TOO_LONG, passwordFits } from "@/lib/auth/password";
import type { Role } from "@/lib/auth/roles";
import type { SqlClient } from "./sql-client";

export interface UserRow {
  id: number;
  email: string;
  role: Role;
  passwordHash: string;
  createdAt: string;
}

/** bcrypt cost: 12 in production; tests may lower it with BCRYPT_COST (4..31). */
export function bcryptCost(env: Record<string, string | undefined> = process.env): number {
  const cost = Number(env.BCRYPT_COST ?? 12);
  return Number.isInteger(cost) && cost >= 4 && cost <= 31 ? cost : 12;
}

export class PasswordTooLongError extends Error {
  constructor() {
    super(PASSWORD_TOO_LONG);
  }
}

/** Refuses passwords over 72 bytes rather than letting bcrypt drop the rest. */
export function hashPassword(password: string, cost: number = bcryptCost()): Promise<string> {
  if (!passwordFits(password)) return Promise.reject(new PasswordTooLongError());
  return bcryptHash(password, cost);
}

/** False for a password over 72 bytes: no stored hash can stand for it. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  if (!passwordFits(password)) return false;
  try {
    return await bcryptVerify(password, hash);
  } catch {
    return false; // not a bcrypt hash
  }
}

// A real hash of a random string, compared against when the e-mail is unknown, so a wrong
// address takes as long as a wrong password.
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(`no-such-user-${Math.random()}`);
  return dummyHash;
}

const COLUMNS = `id, email, role, password_hash AS "passwordHash", created_at AS "createdAt"`;

export class DuplicateEmailError extends Error {
  constructor(email: string) {
    super(`a user with e-mail ${email} already exists`);
  }
}

export async function createUser(
  db: SqlClient,
  input: { email: string; password: string; role: Role },
  options: { cost?: number } = {},
): Promise<UserRow> {
  const email = input.email.trim();
  if (await findUserByEmail(db, email)) throw new DuplicateEmailError(email);
  const hash = await hashPassword(input.password, options.cost);
  try {
    const [row] = await db.query<UserRow>(
      `INSERT INTO app_users (email, password_hash, role) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`,
      [email, hash, input.role],
    );
    return row!;
  } catch (error) {
    if ((error as { code?: string }).code === "23505") throw new DuplicateEmailError(email);
    throw error;
  }
}

export async function findUserByEmail(db: SqlClient, email: string): Promise<UserRow | null> {
  const [row] = await db.query<UserRow>(`SELECT ${COLUMNS} FROM app_users WHERE lower(email) = lower($1)`, [email.trim()]);
  return row ?? null;
}

export async function findUserById(db: SqlClient, id: number): Promise<UserRow | null> {
  const [row] = await db.query<UserRow>(`SELECT ${COLUMNS} FROM app_users WHERE id = $1`, [id]);
  return row ?? null;
}

export async function listUsers(db: SqlClient): Promise<Omit<UserRow, "passwordHash">[]> {
  return db.query(`SELECT id, email, role, created_at AS "createdAt" FROM app_users ORDER BY lower(email)`);
}

/** Changes a user's password and/or role. Changing the password signs the user out everywhere. */
export async function updateUser(
  db: SqlClient,
  id: number,
  changes: { password?: string; role?: Role },
  options: { cost?: number } = {},
): Promise<UserRow | null> {
  const hash = changes.password === undefined ? null : await hashPassword(changes.password, options.cost);
  return db.transaction(async (tx) => {
    const [row] = await tx.query<UserRow>(
      `UPDATE app_users SET password_hash = coalesce($2, password_hash), role = coalesce($3, role)
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, hash, changes.role ?? null],
    );
    if (row && hash !== null) await tx.query(`DELETE FROM app_sessions WHERE user_id = $1`, [id]);
    return row ?? null;
  });
}
