import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { setDb } from "@/db/client";
import { authorizedAction, formDataToObject, GENERIC_ERROR, UserFacingError } from "@/lib/auth/action";
import { isSafeNextPath, PATH_HEADER, requireUser } from "@/lib/auth/guard";
import { roleAtLeast } from "@/lib/auth/roles";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { signInAs, signOut } from "../helpers/auth";
import { setRequestHeader } from "../helpers/next-state";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  setDb(undefined);
  await t.drop();
});

const startRun = authorizedAction("admin", z.object({ version: z.coerce.number().int().positive() }), async ({ version }) => ({ started: version }));

const resolveItem = authorizedAction(
  "reviewer",
  z.object({ itemId: z.coerce.number().int().positive("Pick an item."), note: z.string().trim().min(3, "Write at least 3 characters.") }),
  async ({ itemId, note }, user) => {
    if (itemId === 404) throw new UserFacingError("That item no longer exists.", { itemId: "Not found." });
    if (itemId === 500) throw new Error("database exploded");
    if (itemId === 204) return { ok: true as const, data: { itemId, by: user.email }, message: "Resolved." };
    return { itemId, note, by: user.email };
  },
);

function form(entries: [string, string][]): FormData {
  const fd = new FormData();
  for (const [k, v] of entries) fd.append(k, v);
  return fd;
}

describe("roles", () => {
  it("ranks viewer < reviewer < admin", () => {
    expect(roleAtLeast("admin", "reviewer")).toBe(true);
    expect(roleAtLeast("reviewer", "reviewer")).toBe(true);
    expect(roleAtLeast("viewer", "reviewer")).toBe(false);
    expect(roleAtLeast("reviewer", "admin")).toBe(false);
  });
});

describe("authorizedAction", () => {
  it("refuses when nobody is signed in", async () => {
    signOut();
    expect(await startRun({ version: 1 })).toEqual({ ok: false, error: "Sign in first." });
  });

  it("refuses a viewer an admin action", async () => {
    await signInAs(t.db, "viewer");
    expect(await startRun(form([["version", "1"]]))).toEqual({ ok: false, error: "This needs the admin role." });
  });

  it("lets a reviewer run a reviewer action, with FormData", async () => {
    const user = await signInAs(t.db, "reviewer", "rita@example.com");
    expect(await resolveItem(form([["itemId", "7"], ["note", " fixed "]]))).toEqual({ ok: true, data: { itemId: 7, note: "fixed", by: user.email } });
    // an admin may too
    await signInAs(t.db, "admin");
    expect((await resolveItem({ itemId: 8, note: "ok by admin" })).ok).toBe(true);
  });

  it("returns zod field errors and echoes the typed values", async () => {
    await signInAs(t.db, "reviewer");
    expect(await resolveItem(form([["itemId", "-1"], ["note", "x"], ["password", "hidden"]]))).toEqual({
      ok: false,
      error: "Please correct the highlighted fields.",
      fieldErrors: { itemId: "Pick an item.", note: "Write at least 3 characters." },
      values: { itemId: "-1", note: "x" },
    });
  });

  it("refuses a NUL character in any field with a message beside it (PostgreSQL text cannot hold one)", async () => {
    await signInAs(t.db, "reviewer", "rita@example.com");
    const result = await resolveItem(form([["itemId", "7"], ["note", "fine\u0000 text"]]));
    expect(result).toEqual({
      ok: false,
      error: "Please correct the highlighted fields.",
      fieldErrors: { note: "Contains a NUL character, which cannot be stored; remove it." },
      values: { itemId: "7", note: "fine\u0000 text" },
    });
    expect(await resolveItem(form([["itemId", "7"], ["note", "fine text"]]))).toMatchObject({ ok: true });
  });

  it("turns UserFacingError into its message, other errors into a generic one", async () => {
    expect(await resolveItem({ itemId: 404, note: "gone?" })).toEqual({
      ok: false,
      error: "That item no longer exists.",
      fieldErrors: { itemId: "Not found." },
      values: { itemId: "404", note: "gone?" },
    });
    const logged = console.error;
    console.error = () => {};
    try {
      expect(await resolveItem({ itemId: 500, note: "boom" })).toEqual({ ok: false, error: GENERIC_ERROR });
    } finally {
      console.error = logged;
    }
  });

  it("passes a returned ActionResult through", async () => {
    expect(await resolveItem({ itemId: 204, note: "done" })).toMatchObject({ ok: true, message: "Resolved." });
  });

  it("converts repeated and array keys of FormData to arrays", () => {
    const schema = z.object({ ids: z.array(z.coerce.number()), tags: z.array(z.string()).optional(), name: z.string() });
    expect(formDataToObject(form([["ids", "1"], ["name", "a"], ["$ACTION_ID_abc", ""]]), schema)).toEqual({ ids: ["1"], tags: [], name: "a" });
    expect(formDataToObject(form([["x", "1"], ["x", "2"], ["y[]", "3"], ["z", ""]]))).toEqual({ x: ["1", "2"], y: ["3"], z: "" });
  });
});

describe("requireUser", () => {
  it("redirects to sign-in with the current path when signed out", async () => {
    signOut();
    setRequestHeader(PATH_HEADER, "/review?status=pending");
    await expect(requireUser()).rejects.toMatchObject({ kind: "redirect", url: "/sign-in?next=%2Freview%3Fstatus%3Dpending" });
    await expect(requireUser("viewer", { next: "/runs" })).rejects.toMatchObject({ url: "/sign-in?next=%2Fruns" });
  });

  it("sends a too-weak role to the 403 page and returns a strong enough user", async () => {
    const viewer = await signInAs(t.db, "viewer");
    await expect(requireUser("reviewer")).rejects.toMatchObject({ kind: "redirect", url: "/forbidden?need=reviewer" });
    expect(await requireUser()).toEqual(viewer);
  });

  it("accepts only same-site relative paths as `next`", () => {
    expect(isSafeNextPath("/pnl?symbol=BTC-USD")).toBe(true);
    for (const bad of ["", "pnl", "//evil.example", "/\\evil.example", "https://evil.example", "/\nx", null]) expect(isSafeNextPath(bad)).toBe(false);
  });
});
