// The users page's server actions called directly, as a hostile client could: only admins change
// anything; every change is recorded; the last enabled admin cannot be demoted or disabled; a
// disabled user's sessions end and they cannot sign in; a reset password signs the user out.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { setDb } from "@/db/client";
import { changeRole, createUser, resetPassword, setDisabled } from "@/app/(app)/users/actions";
import { listReviewers } from "@/db/review/queue";
import { createSession, findSessionUser } from "@/db/sessions";
import { changeUserRole, LAST_ADMIN_MESSAGE, listUsersForAdmin, recentUserChanges, setUserDisabled } from "@/db/user-admin";
import { findUserByEmail, verifyPassword } from "@/db/users";
import { ACCOUNT_DISABLED, checkSignIn } from "@/lib/auth/sign-in";
import { createTestDatabase, usingRealServer, type TestDatabase } from "../../helpers/database";
import { signInAs } from "../../helpers/auth";

let t: TestDatabase;

function form(entries: Record<string, string>): FormData {
  const fd = new FormData();
  for (const [key, value] of Object.entries(entries)) fd.append(key, value);
  return fd;
}

const changeCount = async () => (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM app_user_changes"))[0]!.n;
const userCount = async () => (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM app_users"))[0]!.n;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  setDb(undefined);
  await t.drop();
});

describe.each(["viewer", "reviewer"] as const)("a %s calling the users actions directly", (role) => {
  test("is refused and nothing changes", async () => {
    const me = await signInAs(t.db, role);
    const [users, changes] = [await userCount(), await changeCount()];
    const refused = { ok: false, error: "This needs the admin role." };
    expect(await createUser(null, form({ email: "sneaky@example.com", role: "admin", password: "long-enough-1" }))).toEqual(refused);
    expect(await changeRole(null, form({ userId: String(me.id), role: "admin" }))).toEqual(refused);
    expect(await setDisabled(null, form({ userId: String(me.id), disabled: "true" }))).toEqual(refused);
    expect(await resetPassword(null, form({ userId: String(me.id), password: "long-enough-1" }))).toEqual(refused);
    expect([await userCount(), await changeCount()]).toEqual([users, changes]);
    expect((await findUserByEmail(t.db, me.email))!.role).toBe(role);
  });
});

describe("an admin on the users page", () => {
  let admin: Awaited<ReturnType<typeof signInAs>>;
  beforeAll(async () => {
    admin = await signInAs(t.db, "admin", "boss@example.com");
  });

  test("creates a user with a chosen password, recorded with who did it", async () => {
    const result = await createUser(null, form({ email: "  Newbie@Example.com ", role: "reviewer", password: "chosen-password-1" }));
    expect(result).toMatchObject({ ok: true, data: { email: "Newbie@Example.com" } });
    expect(result.ok && result.data.generatedPassword).toBeFalsy();
    const user = (await findUserByEmail(t.db, "newbie@example.com"))!;
    expect(user.role).toBe("reviewer");
    expect(await verifyPassword("chosen-password-1", user.passwordHash)).toBe(true);
    const [change] = await recentUserChanges(t.db, 1);
    expect(change).toMatchObject({ userId: user.id, userEmail: "Newbie@Example.com", actor: "boss@example.com", action: "created", details: { role: "reviewer" } });
  });

  test("an empty password is generated, returned once and works", async () => {
    const result = await createUser(null, form({ email: "gen@example.com", role: "viewer", password: "" }));
    if (!result.ok) throw new Error(result.error);
    const generated = result.data.generatedPassword!;
    expect(generated.length).toBeGreaterThanOrEqual(16);
    expect((await checkSignIn(t.db, { email: "gen@example.com", password: generated, client: "10.1.0.1" })).ok).toBe(true);
  });

  test("bad input gets messages beside the fields and writes nothing", async () => {
    const before = [await userCount(), await changeCount()];
    const bad = await createUser(null, form({ email: "not-an-address", role: "superuser", password: "short" }));
    expect(bad).toMatchObject({ ok: false, fieldErrors: { email: "Enter a valid e-mail address.", password: expect.stringContaining("At least 10") } });
    expect(bad.ok === false && bad.fieldErrors?.role).toMatch(/Choose a role/);
    const duplicate = await createUser(null, form({ email: "NEWBIE@example.com", role: "viewer", password: "" }));
    expect(duplicate).toMatchObject({ ok: false, error: "A user with this e-mail address already exists.", fieldErrors: { email: "Already a user." } });
    expect(await resetPassword(null, form({ userId: String(admin.id), password: "é".repeat(37) }))).toMatchObject({
      ok: false,
      fieldErrors: { password: "At most 72 bytes (about 72 letters)." },
    });
    expect(await changeRole(null, form({ userId: "1e99", role: "admin" }))).toMatchObject({ ok: false, fieldErrors: { userId: "Choose a user." } });
    expect(await changeRole(null, form({ userId: "999999", role: "admin" }))).toEqual({ ok: false, error: "No such user." });
    expect([await userCount(), await changeCount()]).toEqual(before);
  });

  test("changes a role and records from/to", async () => {
    const user = (await findUserByEmail(t.db, "newbie@example.com"))!;
    expect(await changeRole(null, form({ userId: String(user.id), role: "admin" }))).toMatchObject({ ok: true, message: "Newbie@Example.com is now admin." });
    expect((await findUserByEmail(t.db, "newbie@example.com"))!.role).toBe("admin");
    expect((await recentUserChanges(t.db, 1))[0]).toMatchObject({ action: "role_changed", details: { from: "reviewer", to: "admin" } });
    // back to reviewer: two admins, so allowed
    expect(await changeRole(null, form({ userId: String(user.id), role: "reviewer" }))).toMatchObject({ ok: true });
  });

  test("the last enabled admin cannot be demoted or disabled, by anyone", async () => {
    const before = await changeCount();
    expect(await changeRole(null, form({ userId: String(admin.id), role: "viewer" }))).toEqual({ ok: false, error: LAST_ADMIN_MESSAGE });
    expect(await setDisabled(null, form({ userId: String(admin.id), disabled: "true" }))).toEqual({ ok: false, error: LAST_ADMIN_MESSAGE });
    await expect(changeUserRole(t.db, { userId: null, name: "script" }, admin.id, "reviewer")).rejects.toThrow(LAST_ADMIN_MESSAGE);
    expect((await findUserByEmail(t.db, "boss@example.com"))!.role).toBe("admin");
    expect(await changeCount()).toBe(before);
  });

  test("a disabled admin does not count: with one other enabled admin, that one is the last", async () => {
    const second = await createUser(null, form({ email: "second-admin@example.com", role: "admin", password: "" }));
    if (!second.ok) throw new Error(second.error);
    const secondId = (await findUserByEmail(t.db, "second-admin@example.com"))!.id;
    expect(await setDisabled(null, form({ userId: String(secondId), disabled: "true" }))).toMatchObject({ ok: true });
    expect(await changeRole(null, form({ userId: String(admin.id), role: "viewer" }))).toEqual({ ok: false, error: LAST_ADMIN_MESSAGE });
    expect(await setDisabled(null, form({ userId: String(secondId), disabled: "false" }))).toMatchObject({ ok: true });
    // now the second admin may demote the first (and the first can no longer demote the second)
    expect(await changeUserRole(t.db, { userId: secondId, name: "second-admin@example.com" }, admin.id, "reviewer")).toMatchObject({ changed: true });
    await expect(changeUserRole(t.db, { userId: null, name: "script" }, secondId, "viewer")).rejects.toThrow(LAST_ADMIN_MESSAGE);
    await changeUserRole(t.db, { userId: secondId, name: "second-admin@example.com" }, admin.id, "admin");
  });

  test("disabling ends the user's sessions and refuses their sign-in; enabling lets them back", async () => {
    const user = (await findUserByEmail(t.db, "newbie@example.com"))!;
    const { token } = await createSession(t.db, user.id);
    expect(await findSessionUser(t.db, token)).not.toBeNull();
    expect(await setDisabled(null, form({ userId: String(user.id), disabled: "true" }))).toMatchObject({ ok: true });
    expect(await findSessionUser(t.db, token)).toBeNull();
    expect(await checkSignIn(t.db, { email: "newbie@example.com", password: "chosen-password-1", client: "10.1.0.2" })).toEqual({ ok: false, error: ACCOUNT_DISABLED });
    const row = (await listUsersForAdmin(t.db)).find((u) => u.id === user.id)!;
    expect(row.disabledAt).not.toBeNull();
    expect(await setDisabled(null, form({ userId: String(user.id), disabled: "false" }))).toMatchObject({ ok: true });
    expect((await checkSignIn(t.db, { email: "newbie@example.com", password: "chosen-password-1", client: "10.1.0.2" })).ok).toBe(true);
    expect((await recentUserChanges(t.db, 2)).map((c) => c.action)).toEqual(["enabled", "disabled"]);
    // a disabled reviewer is not offered as an assignee of review items
    await setUserDisabled(t.db, { userId: null, name: "test" }, user.id, true);
    expect((await listReviewers(t.db)).map((r) => r.email)).not.toContain(user.email);
    await setUserDisabled(t.db, { userId: null, name: "test" }, user.id, false);
    expect((await listReviewers(t.db)).map((r) => r.email)).toContain(user.email);
  });

  test("a password reset replaces the password and signs the user out everywhere", async () => {
    const user = (await findUserByEmail(t.db, "newbie@example.com"))!;
    const { token } = await createSession(t.db, user.id);
    const result = await resetPassword(null, form({ userId: String(user.id), password: "" }));
    if (!result.ok) throw new Error(result.error);
    expect(await findSessionUser(t.db, token)).toBeNull();
    const updated = (await findUserByEmail(t.db, "newbie@example.com"))!;
    expect(await verifyPassword("chosen-password-1", updated.passwordHash)).toBe(false);
    expect(await verifyPassword(result.data.generatedPassword!, updated.passwordHash)).toBe(true);
    expect((await recentUserChanges(t.db, 1))[0]).toMatchObject({ action: "password_reset", actor: "boss@example.com" });
  });

  test.runIf(usingRealServer)("two admins demoting each other at once: one wins, one is refused", async () => {
    const a = (await findUserByEmail(t.db, "boss@example.com"))!.id;
    const b = (await findUserByEmail(t.db, "second-admin@example.com"))!.id;
    const [c1, c2] = [t.connect(), t.connect()];
    const outcomes = await Promise.allSettled([
      changeUserRole(c1, { userId: b, name: "b" }, a, "viewer"),
      setUserDisabled(c2, { userId: a, name: "a" }, b, true),
    ]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    expect(outcomes.find((o) => o.status === "rejected")).toMatchObject({ reason: { message: LAST_ADMIN_MESSAGE } });
    const [row] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM app_users WHERE role = 'admin' AND disabled_at IS NULL");
    expect(row!.n).toBe(1);
  });
});
