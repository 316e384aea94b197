import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDb } from "@/db/client";
import bcryptjs from "bcryptjs";
import { findSessionUser, hashSessionToken } from "@/db/sessions";
import { createUser, hashPassword, PasswordTooLongError, verifyPassword } from "@/db/users";
import { clientAddressFrom } from "@/lib/auth/client-address";
import { PASSWORD_TOO_LONG } from "@/lib/auth/password";
import { checkSignIn, signInSchema, WRONG_CREDENTIALS } from "@/lib/auth/sign-in";
import { DEVICE_COOKIE, getCurrentUser, SESSION_COOKIE } from "@/lib/auth/session";
import { SIGN_IN_RULES } from "@/lib/auth/throttle-policy";
import { signIn, signOut } from "@/app/sign-in/actions";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { nextMockState, NextNavigationError, setRequestHeader } from "../helpers/next-state";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  setDb(t.db);
  await createUser(t.db, { email: "bob@example.com", password: "bob-password-1", role: "reviewer" }, { cost: 4 });
  await createUser(t.db, { email: "carol@example.com", password: "carol-password-1", role: "viewer" }, { cost: 4 });
  await createUser(t.db, { email: "dave@example.com", password: "dave-password-1", role: "admin" }, { cost: 4 });
});
afterAll(async () => {
  setDb(undefined);
  await t.drop();
});

const at = (second: number) => new Date(Date.UTC(2025, 5, 1, 12, 0, second));
const { account, client } = SIGN_IN_RULES;

async function hashedAttempts(email: string): Promise<number> {
  const rows = await t.db.query(`SELECT 1 FROM app_sign_in_attempts WHERE email = $1`, [email]);
  return rows.length;
}

describe("checkSignIn", () => {
  it("accepts the right password, whatever the e-mail's case", async () => {
    const result = await checkSignIn(t.db, { email: "BOB@example.com", password: "bob-password-1", client: "10.0.0.1" });
    expect(result).toMatchObject({ ok: true, user: { email: "bob@example.com", role: "reviewer" } });
  });

  it("refuses a wrong password and an unknown e-mail with the same message", async () => {
    expect(await checkSignIn(t.db, { email: "bob@example.com", password: "nope", client: "10.0.0.1" })).toEqual({ ok: false, error: WRONG_CREDENTIALS });
    expect(await checkSignIn(t.db, { email: "who@example.com", password: "nope", client: "10.0.0.1" })).toEqual({ ok: false, error: WRONG_CREDENTIALS });
  });

  it(`slows an account down after ${account.free} attempts from one client, waits doubling, and never hashes a refused attempt`, async () => {
    const who = { email: "carol@example.com", client: "10.0.0.2", password: "wrong" };
    for (let i = 0; i < account.free; i++) expect(await checkSignIn(t.db, who, at(0))).toEqual({ ok: false, error: WRONG_CREDENTIALS });
    const hashed = await hashedAttempts("carol@example.com");
    // the 5th attempt asked for 1 s of patience
    expect(await checkSignIn(t.db, who, at(0))).toEqual({ ok: false, error: "Too many attempts, try again in 1 second." });
    expect(await checkSignIn(t.db, { ...who, password: "carol-password-1" }, at(0))).toMatchObject({ ok: false, error: /Too many attempts/ });
    expect(await hashedAttempts("carol@example.com")).toBe(hashed); // refused before bcrypt ran
    expect(await checkSignIn(t.db, who, at(1))).toEqual({ ok: false, error: WRONG_CREDENTIALS }); // 6th: next wait 2 s
    expect(await checkSignIn(t.db, who, at(2))).toEqual({ ok: false, error: "Too many attempts, try again in 1 second." });
    expect(await checkSignIn(t.db, who, at(3))).toEqual({ ok: false, error: WRONG_CREDENTIALS }); // 7th: next wait 4 s
    expect(await checkSignIn(t.db, who, at(4))).toEqual({ ok: false, error: "Too many attempts, try again in 3 seconds." });
    // the right password after the wait works, and clears the slowdown
    expect(await checkSignIn(t.db, { ...who, password: "carol-password-1" }, at(7))).toMatchObject({ ok: true });
    expect(await checkSignIn(t.db, who, at(8))).toEqual({ ok: false, error: WRONG_CREDENTIALS });
  });

  it("does not lock the owner out: another client, or the owner's known device, is not slowed", async () => {
    const attacker = { email: "dave@example.com", client: "203.0.113.9", password: "guess" };
    for (let i = 0; i < 12; i++) await checkSignIn(t.db, attacker, at(20));
    expect(await checkSignIn(t.db, attacker, at(20))).toMatchObject({ ok: false, error: /Too many attempts/ });
    expect(await checkSignIn(t.db, { ...attacker, client: "10.1.1.1", password: "dave-password-1" }, at(20))).toMatchObject({ ok: true });

    // Without TRUST_PROXY every client is "": the owner's browser that signed in before has its own bucket.
    const first = await checkSignIn(t.db, { email: "dave@example.com", client: "", password: "dave-password-1" }, at(30));
    if (!first.ok) throw new Error(first.error);
    expect(first.newDeviceToken).toEqual(expect.any(String));
    for (let i = 0; i < 12; i++) await checkSignIn(t.db, { email: "dave@example.com", client: "", password: "guess" }, at(31));
    expect(await checkSignIn(t.db, { email: "dave@example.com", client: "", password: "dave-password-1" }, at(31))).toMatchObject({ ok: false });
    const owner = await checkSignIn(t.db, { email: "dave@example.com", client: "", password: "dave-password-1", device: first.newDeviceToken! }, at(31));
    expect(owner).toMatchObject({ ok: true, newDeviceToken: null });
    // a device token only speaks for the address it signed in as: carol's browser is not recognized
    const carol = await checkSignIn(t.db, { email: "carol@example.com", client: "", password: "carol-password-1", device: first.newDeviceToken! }, at(31));
    expect(carol).toMatchObject({ ok: true, newDeviceToken: expect.any(String) });
  });

  it(`slows a client down after ${client.free} attempts, whatever the e-mail; other clients are not affected`, async () => {
    const address = "10.0.0.66";
    for (let i = 0; i < client.free; i++) {
      expect(await checkSignIn(t.db, { email: `guess${i}@example.com`, client: address, password: "x" }, at(40))).toEqual({ ok: false, error: WRONG_CREDENTIALS });
    }
    expect(await checkSignIn(t.db, { email: "bob@example.com", client: address, password: "bob-password-1" }, at(40))).toEqual({
      ok: false,
      error: "Too many attempts, try again in 1 second.",
    });
    expect(await checkSignIn(t.db, { email: "bob@example.com", client: "10.0.0.67", password: "bob-password-1" }, at(40))).toMatchObject({ ok: true });
  });

  it("successful sign-ins from one address (an office without a proxy) never add up", async () => {
    for (let i = 0; i < client.free + 10; i++) {
      expect(await checkSignIn(t.db, { email: "bob@example.com", client: "192.0.2.50", password: "bob-password-1" }, at(45))).toMatchObject({ ok: true });
    }
    for (let i = 0; i < client.free - 1; i++) await checkSignIn(t.db, { email: `x${i}@example.com`, client: "192.0.2.50", password: "x" }, at(45));
    expect(await checkSignIn(t.db, { email: "bob@example.com", client: "192.0.2.50", password: "bob-password-1" }, at(45))).toMatchObject({ ok: true });
  });

  it("a parallel burst cannot slip past the limit: exactly the free attempts are checked", async () => {
    const who = { email: "erin@example.com", client: "198.51.100.7", password: "wrong" };
    const results = await Promise.all(Array.from({ length: 30 }, () => checkSignIn(t.db, who, at(50))));
    expect(results.filter((r) => !r.ok && r.error === WRONG_CREDENTIALS)).toHaveLength(account.free);
    expect(results.filter((r) => !r.ok && /Too many attempts/.test(r.error))).toHaveLength(30 - account.free);
    expect(await hashedAttempts("erin@example.com")).toBe(account.free);
  });

  it("refuses passwords over 72 bytes instead of truncating them", async () => {
    const long = "é".repeat(37); // 74 bytes, 37 characters
    expect(signInSchema.safeParse({ email: "bob@example.com", password: long }).error?.issues[0]?.message).toBe(PASSWORD_TOO_LONG);
    await expect(hashPassword(long, 4)).rejects.toBeInstanceOf(PasswordTooLongError);
    await expect(createUser(t.db, { email: "long@example.com", password: "x".repeat(73), role: "viewer" }, { cost: 4 })).rejects.toThrow(PASSWORD_TOO_LONG);
    expect(await verifyPassword("x".repeat(73), await hashPassword("x".repeat(72), 4))).toBe(false);
    expect(await hashPassword("x".repeat(72), 4)).toMatch(/^\$2[ab]\$04\$/);
  });

  it("still verifies hashes bcryptjs wrote before the native binding", async () => {
    const legacy = bcryptjs.hashSync("legacy-password-1", 4);
    expect(await verifyPassword("legacy-password-1", legacy)).toBe(true);
    expect(await verifyPassword("legacy-password-2", legacy)).toBe(false);
    expect(await verifyPassword("anything", "not a hash")).toBe(false);
  });
});

describe("the client address", () => {
  const headers = (xff: string) => new Headers({ "x-forwarded-for": xff });
  it("ignores X-Forwarded-For unless TRUST_PROXY is set", () => {
    expect(clientAddressFrom(headers("1.2.3.4"), {})).toBe("");
    expect(clientAddressFrom(headers("1.2.3.4"), { TRUST_PROXY: "0" })).toBe("");
  });
  it("with TRUST_PROXY=N takes the address our N-th proxy from the right saw, not what the client wrote", () => {
    expect(clientAddressFrom(headers("6.6.6.6, 1.2.3.4"), { TRUST_PROXY: "1" })).toBe("1.2.3.4");
    expect(clientAddressFrom(headers("6.6.6.6, 1.2.3.4, 10.0.0.1"), { TRUST_PROXY: "2" })).toBe("1.2.3.4");
    expect(clientAddressFrom(headers("1.2.3.4"), { TRUST_PROXY: "true" })).toBe("1.2.3.4");
    expect(clientAddressFrom(headers("<script>"), { TRUST_PROXY: "1" })).toBe("");
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
    expect(nextMockState().cookies.get(DEVICE_COOKIE)!.options).toMatchObject({ httpOnly: true, path: "/sign-in" });
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
