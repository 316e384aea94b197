import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "@/db/migrations";
import { findUserByEmail, verifyPassword } from "@/db/users";
import { createCliDatabase, type CliDatabase } from "../helpers/cli-database";
import { runScript } from "../helpers/cli";

let cli: CliDatabase;
const run = (args: string[], stdin?: string) => runScript("user-create.ts", args, { env: { ...cli.env, BCRYPT_COST: "4" }, stdin });

beforeAll(async () => {
  cli = await createCliDatabase();
});
afterAll(async () => {
  await cli.drop();
});

// Each call starts a tsx child that opens the database (PGlite: a WASM engine); slow on a busy machine.
describe("npm run user:create", { timeout: 240_000 }, () => {
  it("explains that an unmigrated database needs db:migrate", async () => {
    const result = await run(["--email", "early@example.com", "--role", "viewer", "--password-stdin"], "long-enough-pw\n");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("npm run db:migrate");
    await cli.use((db) => migrate(db));
  });

  it("creates a user with the password from stdin", async () => {
    const result = await run(["--email", "Admin@Example.com", "--role", "admin", "--password-stdin"], "s3cret-password\n");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Created admin user Admin@Example\.com \(id \d+\)\./);
    expect(result.stdout).not.toContain("s3cret");
    const user = await cli.use((db) => findUserByEmail(db, "admin@example.com"));
    expect(user?.role).toBe("admin");
    expect(await verifyPassword("s3cret-password", user!.passwordHash)).toBe(true);
  });

  it("refuses a duplicate e-mail (any case) with exit code 1", async () => {
    const result = await run(["--email", "ADMIN@example.com", "--role", "viewer", "--password-stdin"], "another-password");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("already exists (use --update");
  });

  it("rejects bad input with exit code 2 and a clear message", async () => {
    const cases: [string[], string | undefined, string][] = [
      [["--email", "x@example.com", "--role", "viewer", "--password-stdin"], "short\n", "at least 10 characters"],
      [["--email", "x@example.com", "--role", "boss", "--password-stdin"], "long-enough-pw", "--role must be one of: viewer, reviewer, admin"],
      [["--email", "not-an-address", "--role", "viewer", "--password-stdin"], "long-enough-pw", "--email must be an e-mail address"],
      [["--role", "viewer", "--password-stdin"], "long-enough-pw", "--email is required"],
      [["--email", "x@example.com", "--role", "viewer"], undefined, "pipe it in with --password-stdin"],
    ];
    for (const [args, stdin, message] of cases) {
      const result = await run(args, stdin);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stderr).toContain("Usage: npm run user:create");
    }
  });

  it("--update changes the role and password of an existing user", async () => {
    const result = await run(["--email", "admin@example.com", "--role", "reviewer", "--update", "--password-stdin"], "brand-new-password\n");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("role reviewer, new password");
    const user = await cli.use((db) => findUserByEmail(db, "admin@example.com"));
    expect(user?.role).toBe("reviewer");
    expect(await verifyPassword("brand-new-password", user!.passwordHash)).toBe(true);

    const missing = await run(["--email", "ghost@example.com", "--role", "viewer", "--update"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no user with e-mail ghost@example.com");
  });
});
