// Signing in inside Vitest: a real user and a real session row in the test database, the token in
// the mocked cookie jar (tests/setup/next-mocks.ts), and getDb() pointed at the test database, so
// requireUser()/authorizedAction() and server actions run exactly as in a request.
import { randomBytes } from "node:crypto";
import { setDb } from "@/db/client";
import { createSession } from "@/db/sessions";
import type { SqlClient } from "@/db/sql-client";
import { createUser, findUserByEmail, updateUser } from "@/db/users";
import type { Role } from "@/lib/auth/roles";
import { SESSION_COOKIE, type CurrentUser } from "@/lib/auth/session";
import { nextMockState } from "./next-state";

/** bcrypt cost for test users: the minimum, so tests stay fast. */
export const TEST_BCRYPT_COST = 4;
export const TEST_PASSWORD = "test-password-1";

/**
 * Signs in as a user with `role` (creating `email`, default a fresh `<role>-<random>@example.com`;
 * an existing user with that e-mail gets `role`). Returns the user.
 */
export async function signInAs(db: SqlClient, role: Role, email?: string): Promise<CurrentUser> {
  setDb(db);
  const address = email ?? `${role}-${randomBytes(4).toString("hex")}@example.com`;
  let user = await findUserByEmail(db, address);
  if (!user) user = await createUser(db, { email: address, password: TEST_PASSWORD, role }, { cost: TEST_BCRYPT_COST });
  else if (user.role !== role) user = (await updateUser(db, user.id, { role }))!;
  const { token } = await createSession(db, user.id);
  nextMockState().cookies.set(SESSION_COOKIE, { name: SESSION_COOKIE, value: token });
  return { id: user.id, email: user.email, role: user.role };
}

/** Forgets the session cookie (the session row stays; use the real signOut action to test that). */
export function signOut(): void {
  nextMockState().cookies.delete(SESSION_COOKIE);
}
