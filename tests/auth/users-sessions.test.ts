import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession, deleteExpiredSessions, deleteSession, findSessionUser, hashSessionToken, SESSION_TTL_MS } from "@/db/sessions";
import { bcryptCost, createUser, DuplicateEmailError, findUserByEmail, updateUser, verifyPassword } from "@/db/users";
import { createTestDatabase, type TestDatabase } from "../helpers/database";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

describe("users", () => {
  it("stores a bcrypt hash, never the password", async () => {
    const user = await createUser(t.db, { email: "Ann@Example.com", password: "correct horse", role: "reviewer" }, { cost: 4 });
    expect(user.passwordHash).toMatch(/^\$2[aby]\$04\$/);
    expect(user.passwordHash).not.toContain("correct horse");
    expect(await verifyPassword("correct horse", user.passwordHash)).toBe(true);
    expect(await verifyPassword("correct horsE", user.passwordHash)).toBe(false);
  });

  it("finds users by e-mail case-insensitively and refuses duplicates", async () => {
    const found = await findUserByEmail(t.db, "  ann@EXAMPLE.com ");
    expect(found).toMatchObject({ email: "Ann@Example.com", role: "reviewer" });
    await expect(createUser(t.db, { email: "ANN@example.com", password: "whatever-123", role: "viewer" }, { cost: 4 })).rejects.toBeInstanceOf(
      DuplicateEmailError,
    );
    expect(await findUserByEmail(t.db, "nobody@example.com")).toBeNull();
  });

  it("uses cost 12 unless BCRYPT_COST says otherwise", () => {
    expect(bcryptCost({})).toBe(12);
    expect(bcryptCost({ BCRYPT_COST: "5" })).toBe(5);
    expect(bcryptCost({ BCRYPT_COST: "nonsense" })).toBe(12);
  });

  it("a password change ends the user's sessions", async () => {
    const user = await createUser(t.db, { email: "reset@example.com", password: "old-password-1", role: "viewer" }, { cost: 4 });
    const { token } = await createSession(t.db, user.id);
    const updated = await updateUser(t.db, user.id, { password: "new-password-1", role: "admin" }, { cost: 4 });
    expect(updated?.role).toBe("admin");
    expect(await verifyPassword("new-password-1", updated!.passwordHash)).toBe(true);
    expect(await findSessionUser(t.db, token)).toBeNull();
  });
});

describe("sessions", () => {
  it("keeps only the token's SHA-256 and finds the user by the token", async () => {
    const user = await createUser(t.db, { email: "sess@example.com", password: "session-pass-1", role: "viewer" }, { cost: 4 });
    const { token, expiresAt } = await createSession(t.db, user.id);
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    const rows = await t.db.query<{ token_hash: string }>(`SELECT token_hash FROM app_sessions WHERE user_id = $1`, [user.id]);
    expect(rows).toEqual([{ token_hash: hashSessionToken(token) }]);
    expect(rows[0]!.token_hash).not.toContain(token);
    expect(expiresAt.getTime() - Date.now()).toBeGreaterThan(SESSION_TTL_MS - 60_000);
    expect(await findSessionUser(t.db, token)).toEqual({ id: user.id, email: "sess@example.com", role: "viewer" });
    expect(await findSessionUser(t.db, token.slice(0, -1) + (token.endsWith("A") ? "B" : "A"))).toBeNull();
    expect(await findSessionUser(t.db, "")).toBeNull();
  });

  it("expires after 7 days", async () => {
    const user = await findUserByEmail(t.db, "sess@example.com");
    const start = new Date("2025-03-01T10:00:00Z");
    const { token } = await createSession(t.db, user!.id, start);
    expect(await findSessionUser(t.db, token, new Date("2025-03-08T09:59:59Z"))).not.toBeNull();
    expect(await findSessionUser(t.db, token, new Date("2025-03-08T10:00:00Z"))).toBeNull();
    expect(await deleteExpiredSessions(t.db, new Date("2025-03-08T10:00:00Z"))).toBeGreaterThanOrEqual(1);
  });

  it("deleteSession removes the row", async () => {
    const user = await findUserByEmail(t.db, "sess@example.com");
    const { token } = await createSession(t.db, user!.id);
    await deleteSession(t.db, token);
    expect(await findSessionUser(t.db, token)).toBeNull();
    const [row] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM app_sessions WHERE token_hash = $1`, [hashSessionToken(token)]);
    expect(row!.n).toBe(0);
  });
});
