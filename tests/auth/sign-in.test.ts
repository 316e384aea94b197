import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDb } from "@/db/client";
import { findSessionUser, hashSessionToken, SIGN_IN_LIMITS } from "@/db/sessions";
import { createUser } from "@/db/users";
import { checkSignIn, WRONG_CREDENTIALS } from "@/lib/auth/sign-in";
import { getCurrentUser, SESSION_COOKIE } from "@/lib/auth/session";
import { signIn, signOut } from "@/app/sign-in/actions";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { nextMockState, NextNavigationError, setRequestHeader } from "../helpers/next-state";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  setDb(t.db);
  await createUser(t.db, { email: "bob@example.com", password: "bob-password-1", role: "reviewer" }, { cost: 4 });
  await createUser(t.db, { email: "carol@example.com", password: "carol-password-1", role: "viewer" }, { cost: 4 });
});
afterAll(async () => {
  setDb(undefined);
  await t.drop();
});

const at = (minute: number) => new Date(Date.UTC(2025, 5, 1, 12, minute));

describe("checkSignIn", () => {
  it("accepts the right password, whatever the e-mail's case", async () => {
    const result = await checkSignIn(t.db, { email: "BOB@example.com", password: "bob-password-1", client: "10.0.0.1" });
    expect(result).toMatchObject({ ok: true, user: { email: "bob@example.com", role: "reviewer" } });
  });

  it("refuses a wrong password and an unknown e-mail with the same message", async () => {
    expect(await checkSignIn(t.db, { email: "bob@example.com", password: "nope", client: "10.0.0.1" })).toEqual({ ok: false, error: WRONG_CREDENTIALS });
    expect(await checkSignIn(t.db, { email: "who@example.com", password: "nope", client: "10.0.0.1" })).toEqual({ ok: false, error: WRONG_CREDENTIALS });
  });

  it(`locks an e-mail after ${SIGN_IN_LIMITS.perEmail} failures in ${SIGN_IN_LIMITS.windowMinutes} minutes`, async () => {
    const who = { email: "carol@example.com", client: "10.0.0.2" };
    for (let i = 0; i < SIGN_IN_LIMITS.perEmail - 1; i++) {
      expect((await checkSignIn(t.db, { ...who, password: "wrong" }, at(i))).ok).toBe(false);
    }
    // the 5th failure (minute 4) locks; the lock lifts when the first failure (minute 0) leaves the window
    expect(await checkSignIn(t.db, { ...who, password: "wrong" }, at(4))).toEqual({ ok: false, error: "Too many attempts, try again in 11 minutes." });
    // even the right password is refused while locked, from any client
    expect(await checkSignIn(t.db, { email: "carol@example.com", client: "10.9.9.9", password: "carol-password-1" }, at(5))).toEqual({
      ok: false,
      error: "Too many attempts, try again in 10 minutes.",
    });
    expect(await checkSignIn(t.db, { ...who, password: "carol-password-1" }, at(14))).toMatchObject({ error: "Too many attempts, try again in 1 minute." });
    expect(await checkSignIn(t.db, { ...who, password: "carol-password-1" }, at(15))).toMatchObject({ ok: true });
  });

  it("a successful sign-in resets the e-mail's failure count", async () => {
    const who = { email: "carol@example.com", client: "10.0.0.3" };
    for (let i = 0; i < SIGN_IN_LIMITS.perEmail - 1; i++) await checkSignIn(t.db, { ...who, password: "wrong" }, at(20 + i));
    expect(await checkSignIn(t.db, { ...who, password: "carol-password-1" }, at(25))).toMatchObject({ ok: true });
    expect(await checkSignIn(t.db, { ...who, password: "wrong" }, at(26))).toEqual({ ok: false, error: WRONG_CREDENTIALS });
  });

  it(`locks a client after ${SIGN_IN_LIMITS.perClient} failures, whatever the e-mail`, async () => {
    const client = "10.0.0.66";
    for (let i = 0; i < SIGN_IN_LIMITS.perClient - 1; i++) {
      expect(await checkSignIn(t.db, { email: `guess${i}@example.com`, client, password: "x" }, at(30))).toEqual({ ok: false, error: WRONG_CREDENTIALS });
    }
    expect((await checkSignIn(t.db, { email: "guess-last@example.com", client, password: "x" }, at(30))).ok).toBe(false);
    expect(await checkSignIn(t.db, { email: "bob@example.com", client, password: "bob-password-1" }, at(31))).toEqual({
      ok: false,
      error: "Too many attempts, try again in 14 minutes.",
    });
    // another client is not affected
    expect(await checkSignIn(t.db, { email: "bob@example.com", client: "10.0.0.67", password: "bob-password-1" }, at(31))).toMatchObject({ ok: true });
  });
});

describe("sign-in and sign-out actions", () => {
  const form = (fields: Record<string, string>) => {
    const fd = new FormData();
    for (const [k, v] of Object.entries(fields)) fd.set(k, v);
    return fd;
  };

  it("reports field errors and keeps the typed e-mail", async () => {
    expect(await signIn(null, form({ email: "not-an-email", password: "" }))).toEqual({
      ok: false,
      error: "Please correct the highlighted fields.",
      fieldErrors: { email: "Enter a valid e-mail address.", password: "Enter your password." },
      values: { email: "not-an-email" },
    });
  });

  it("a wrong password sets no cookie", async () => {
    setRequestHeader("x-forwarded-for", "192.0.2.10");
    expect(await signIn(null, form({ email: "bob@example.com", password: "wrong" }))).toEqual({
      ok: false,
      error: WRONG_CREDENTIALS,
      values: { email: "bob@example.com" },
    });
    expect(nextMockState().cookies.has(SESSION_COOKIE)).toBe(false);
  });

  it("the right password sets an http-only cookie and redirects to a safe `next`", async () => {
    await expect(signIn(null, form({ email: "bob@example.com", password: "bob-password-1", next: "/review?status=pending" }))).rejects.toMatchObject({
      kind: "redirect",
      url: "/review?status=pending",
    });
    const cookie = nextMockState().cookies.get(SESSION_COOKIE)!;
    expect(cookie.options).toMatchObject({ httpOnly: true, sameSite: "lax", secure: false, path: "/" });
    expect(await getCurrentUser()).toMatchObject({ email: "bob@example.com", role: "reviewer" });
  });

  it("ignores an off-site `next`", async () => {
    for (const next of ["https://evil.example/", "//evil.example/x", "/\\evil.example"]) {
      const error = await signIn(null, form({ email: "bob@example.com", password: "bob-password-1", next })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NextNavigationError);
      expect((error as NextNavigationError).url).toBe("/");
    }
  });

  it("marks the cookie Secure on https", async () => {
    setRequestHeader("x-forwarded-proto", "https");
    await signIn(null, form({ email: "bob@example.com", password: "bob-password-1" })).catch(() => {});
    expect(nextMockState().cookies.get(SESSION_COOKIE)!.options).toMatchObject({ secure: true });
    setRequestHeader("x-forwarded-proto", "http");
  });

  it("sign-out deletes the session row and the cookie", async () => {
    const token = nextMockState().cookies.get(SESSION_COOKIE)!.value;
    expect(await findSessionUser(t.db, token)).not.toBeNull();
    await expect(signOut()).rejects.toMatchObject({ kind: "redirect", url: "/sign-in" });
    expect(nextMockState().cookies.has(SESSION_COOKIE)).toBe(false);
    const rows = await t.db.query(`SELECT 1 FROM app_sessions WHERE token_hash = $1`, [hashSessionToken(token)]);
    expect(rows).toHaveLength(0);
    expect(await getCurrentUser()).toBeNull();
  });
});
