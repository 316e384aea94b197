// Sessions on sign-in: the browser's previous session is deleted (a planted or old token never
// stays valid), expired sessions are purged, and the cookie is Secure over https, also behind a
// proxy that sends no X-Forwarded-Proto when COOKIE_SECURE=1.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { setDb } from "@/db/client";
import { createSession, findSessionUser, hashSessionToken } from "@/db/sessions";
import { createUser } from "@/db/users";
import { signIn } from "@/app/sign-in/actions";
import { SESSION_COOKIE } from "@/lib/auth/session";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { nextMockState, NextNavigationError, resetNextMocks, setRequestHeader } from "../helpers/next-state";

let t: TestDatabase;
let userId: number;
beforeAll(async () => {
  t = await createTestDatabase();
  setDb(t.db);
  userId = (await createUser(t.db, { email: "dora@example.com", password: "dora-password-1", role: "viewer" }, { cost: 4 })).id;
});
afterEach(() => {
  delete process.env.COOKIE_SECURE;
  resetNextMocks();
});
afterAll(async () => {
  setDb(undefined);
  await t.drop();
});

function credentials(): FormData {
  const fd = new FormData();
  fd.set("email", "dora@example.com");
  fd.set("password", "dora-password-1");
  return fd;
}

/** Signs in through the real action (it ends with a redirect) and returns the new cookie. */
async function signInNow() {
  await expect(signIn(null, credentials())).rejects.toBeInstanceOf(NextNavigationError);
  return nextMockState().cookies.get(SESSION_COOKIE)!;
}

const sessionRows = async () => (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM app_sessions"))[0]!.n;

describe("signing in", () => {
  test("deletes the browser's previous session and purges expired ones", async () => {
    const previous = await createSession(t.db, userId);
    const elsewhere = await createSession(t.db, userId); // another browser: stays signed in
    const expired = await createSession(t.db, userId, new Date(Date.now() - 8 * 24 * 3600 * 1000));
    nextMockState().cookies.set(SESSION_COOKIE, { name: SESSION_COOKIE, value: previous.token });

    const cookie = await signInNow();
    expect(cookie.value).not.toBe(previous.token);
    expect(await findSessionUser(t.db, cookie.value)).toMatchObject({ email: "dora@example.com" });
    expect(await findSessionUser(t.db, previous.token)).toBeNull();
    expect(await findSessionUser(t.db, elsewhere.token)).not.toBeNull();
    const left = await t.db.query<{ token_hash: string }>("SELECT token_hash FROM app_sessions WHERE token_hash = ANY($1::text[])", [
      [previous.token, expired.token].map(hashSessionToken),
    ]);
    expect(left).toEqual([]);
    expect(await sessionRows()).toBe(2);
  });

  test.each([
    { env: undefined, proto: "http", secure: false },
    { env: undefined, proto: "https", secure: true },
    { env: "1", proto: null, secure: true },
    { env: "1", proto: "http", secure: true },
    { env: "true", proto: null, secure: true },
    { env: "0", proto: "https", secure: false },
  ])("COOKIE_SECURE=$env, X-Forwarded-Proto $proto: Secure $secure", async ({ env, proto, secure }) => {
    if (env !== undefined) process.env.COOKIE_SECURE = env;
    if (proto) setRequestHeader("x-forwarded-proto", proto);
    else nextMockState().headers.delete("x-forwarded-proto");
    const cookie = await signInNow();
    expect(cookie.options).toMatchObject({ httpOnly: true, sameSite: "lax", secure });
  });
});

test("the lockout and purge queries have their indexes", async () => {
  const rows = await t.db.query<{ indexname: string }>(
    "SELECT indexname FROM pg_indexes WHERE tablename IN ('app_sessions', 'app_sign_in_attempts') ORDER BY indexname",
  );
  expect(rows.map((r) => r.indexname)).toEqual(
    expect.arrayContaining(["app_sessions_expires_idx", "app_sign_in_attempts_client_idx", "app_sign_in_attempts_attempted_idx", "app_sign_in_attempts_email_idx"]),
  );
});
