// The demo logins: created on a database without users only (the first start), never re-created
// or reset later; the published-password check behind the HOST refusal.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { resetUserPassword, setUserDisabled } from "@/db/user-admin";
import { findUserByEmail } from "@/db/users";
import { createDemoUsersOnFirstStart, DEMO_USERS, demoLoginsWithPublishedPasswords } from "@/lib/demo/first-start";
import { demoPasswordRefusal, isLoopbackHost } from "@/lib/demo/host-guard";
import { createTestDatabase, type TestDatabase } from "../helpers/database";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

const admin = { userId: null, name: "test" };

describe("demo logins", () => {
  test("the first start creates one per role, recorded; later starts create nothing", async () => {
    expect(await createDemoUsersOnFirstStart(t.db)).toBe(true);
    for (const demo of DEMO_USERS) expect((await findUserByEmail(t.db, demo.email))?.role).toBe(demo.role);
    const changes = await t.db.query<{ actor: string; action: string }>("SELECT actor, action FROM app_user_changes ORDER BY id");
    expect(changes).toEqual(DEMO_USERS.map(() => ({ actor: "npm start (first start)", action: "created" })));
    expect(await demoLoginsWithPublishedPasswords(t.db)).toEqual(DEMO_USERS);

    // an admin changes the admin's password and disables the viewer; the next start leaves both alone
    const demoAdmin = (await findUserByEmail(t.db, "admin@example.com"))!;
    const viewer = (await findUserByEmail(t.db, "viewer@example.com"))!;
    await resetUserPassword(t.db, admin, demoAdmin.id, "a-private-password-1");
    await setUserDisabled(t.db, admin, viewer.id, true);
    expect(await createDemoUsersOnFirstStart(t.db)).toBe(false);
    expect((await findUserByEmail(t.db, "admin@example.com"))!.passwordHash).not.toBe(demoAdmin.passwordHash);
    expect((await demoLoginsWithPublishedPasswords(t.db)).map((u) => u.email)).toEqual(["reviewer@example.com"]);

    // even with the viewer row gone (deleted by hand), it does not come back
    await t.db.query("DELETE FROM app_users WHERE id = $1", [viewer.id]);
    expect(await createDemoUsersOnFirstStart(t.db)).toBe(false);
    expect(await findUserByEmail(t.db, "viewer@example.com")).toBeNull();
  });

  test("a database whose operator created users gets no demo logins", async () => {
    const other = await createTestDatabase();
    try {
      await other.db.query("INSERT INTO app_users (email, password_hash, role) VALUES ('ops@example.com', 'x', 'admin')");
      expect(await createDemoUsersOnFirstStart(other.db)).toBe(false);
      expect(await demoLoginsWithPublishedPasswords(other.db)).toEqual([]);
    } finally {
      await other.drop();
    }
  });
});

describe("HOST refusal while demo passwords are published", () => {
  const published = [{ email: "admin@example.com" }];
  test("loopback hosts are always fine", () => {
    for (const host of ["127.0.0.1", "localhost", "::1", "[::1]", "127.1.2.3"]) {
      expect(isLoopbackHost(host)).toBe(true);
      expect(demoPasswordRefusal(host, published, {})).toBeNull();
    }
  });
  test("any other host is refused, naming the logins, unless ALLOW_DEMO_PASSWORDS=1", () => {
    for (const host of ["0.0.0.0", "::", "192.168.1.5", "example.com", "128.0.0.1"]) {
      expect(isLoopbackHost(host)).toBe(false);
      expect(demoPasswordRefusal(host, published, {})).toMatch(/^refusing to serve on HOST=.*admin@example\.com.*ALLOW_DEMO_PASSWORDS=1/);
      expect(demoPasswordRefusal(host, published, { ALLOW_DEMO_PASSWORDS: "1" })).toBeNull();
      expect(demoPasswordRefusal(host, [], {})).toBeNull();
    }
  });
});
