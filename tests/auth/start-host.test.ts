// `npm start` on a fresh embedded database with HOST=0.0.0.0: it prepares the demo (creating the
// demo logins once), then refuses to serve while their published passwords are unchanged. A
// second start neither re-creates a removed demo login nor serves.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { openDatabase } from "@/db/client";
import { runScript } from "../helpers/cli";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fifo-start-host-"));
const env = { DATABASE_URL: undefined, PGLITE_DIR: path.join(dir, "pglite"), HOST: "0.0.0.0", PORT: "3999", ALLOW_DEMO_PASSWORDS: undefined };
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// Two tsx children, the first seeding and computing the demo on PGlite: slow on a busy machine.
test("refuses a non-loopback HOST while demo passwords are published; demo logins only on the first start", { timeout: 400_000 }, async () => {
  const first = await runScript("start.ts", [], { env, timeoutMs: 180_000 });
  expect(first.stdout).toContain("created the demo logins: admin@example.com, reviewer@example.com, viewer@example.com");
  expect(first.stderr).toMatch(/refusing to serve on HOST=0\.0\.0\.0: the demo logins admin@example\.com, reviewer@example\.com, viewer@example\.com/);
  expect(first.code).toBe(1);
  expect(first.stdout).not.toMatch(/building the app/);

  const db = await openDatabase({ PGLITE_DIR: env.PGLITE_DIR } as unknown as NodeJS.ProcessEnv);
  try {
    await db.query("DELETE FROM app_users WHERE email = 'viewer@example.com'");
  } finally {
    await db.close();
  }

  const second = await runScript("start.ts", [], { env, timeoutMs: 120_000 });
  expect(second.stdout).not.toContain("created the demo logins");
  expect(second.stderr).toMatch(/the demo logins admin@example\.com, reviewer@example\.com still have/);
  expect(second.code).toBe(1);

  const check = await openDatabase({ PGLITE_DIR: env.PGLITE_DIR } as unknown as NodeJS.ProcessEnv);
  try {
    expect(await check.query("SELECT email FROM app_users WHERE email = 'viewer@example.com'")).toEqual([]);
  } finally {
    await check.close();
  }
});
