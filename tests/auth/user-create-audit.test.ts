// Changes made with `npm run user:create` are recorded like the users page's, so the page's
// "Recent changes" is the whole story.
import { afterAll, beforeAll, expect, test } from "vitest";
import { migrate } from "@/db/migrations";
import { recentUserChanges } from "@/db/user-admin";
import { createCliDatabase, type CliDatabase } from "../helpers/cli-database";
import { runScript } from "../helpers/cli";

let cli: CliDatabase;
const run = (args: string[], stdin?: string) => runScript("user-create.ts", args, { env: { ...cli.env, BCRYPT_COST: "4" }, stdin });

beforeAll(async () => {
  cli = await createCliDatabase();
  await cli.use((db) => migrate(db).then(() => undefined));
});
afterAll(async () => {
  await cli.drop();
});

test("user:create records the creation, a role change and a new password", { timeout: 240_000 }, async () => {
  expect((await run(["--email", "ops@example.com", "--role", "admin", "--password-stdin"], "ops-password-1\n")).code).toBe(0);
  expect((await run(["--email", "ops@example.com", "--role", "reviewer", "--update", "--password-stdin"], "ops-password-2\n")).code).toBe(0);
  const changes = await cli.use((db) => recentUserChanges(db, 10));
  expect(changes.map((c) => [c.actor, c.action, c.details])).toEqual([
    ["npm run user:create", "password_reset", {}],
    ["npm run user:create", "role_changed", { from: "admin", to: "reviewer" }],
    ["npm run user:create", "created", { role: "admin" }],
  ]);
});
