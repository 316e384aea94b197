// npm run user:create -- --email E --role R [--password-stdin] [--update]
// Creates a dashboard user (or, with --update, changes an existing user's role and/or password).
// The password is prompted for without echo on a terminal, or read from stdin with --password-stdin.
// Exit codes: 0 done, 1 could not (database, duplicate, unknown user), 2 bad arguments or input.
import { parseArgs } from "node:util";
import { z } from "zod";
import { describeDatabase, openDatabase } from "@/db/client";
import type { SqlClient } from "@/db/sql-client";
import { recordChange } from "@/db/user-admin";
import { createUser, DuplicateEmailError, findUserByEmail, updateUser } from "@/db/users";
import { ROLES } from "@/lib/auth/roles";
import { newPasswordSchema } from "@/lib/auth/password";
import { readHiddenLine, readStdin } from "@/lib/cli/password-prompt";

const USAGE = `Usage: npm run user:create -- --email <address> --role <${ROLES.join("|")}> [--password-stdin] [--update]

  --email            the user's e-mail address (sign-in name; case-insensitive)
  --role             ${ROLES.join(", ")}
  --password-stdin   read the password from standard input instead of prompting
  --update           change an existing user's role and/or password (sessions end on a new password)`;

const email = z.email("--email must be an e-mail address");
const role = z.enum(ROLES, { error: `--role must be one of: ${ROLES.join(", ")}` });
const password = newPasswordSchema;

class UsageError extends Error {}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        email: { type: "string" },
        role: { type: "string" },
        "password-stdin": { type: "boolean", default: false },
        update: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const address = check(email, args.email, "--email is required");
  const newRole = args.role === undefined && args.update ? undefined : check(role, args.role, "--role is required");

  const wantsPassword = !args.update || args["password-stdin"] || process.stdin.isTTY;
  let newPassword: string | undefined;
  if (wantsPassword) {
    const typed = await readPassword(args["password-stdin"], args.update);
    newPassword = args.update && typed === "" ? undefined : check(password, typed, "a password is required");
  }
  if (args.update && newRole === undefined && newPassword === undefined) throw new UsageError("--update needs --role and/or a new password");

  console.log(`Database: ${describeDatabase()}`);
  const db = await openDatabase();
  try {
    await assertMigrated(db);
    if (args.update) {
      const existing = await findUserByEmail(db, address);
      if (!existing) {
        console.error(`error: no user with e-mail ${address} (leave out --update to create one)`);
        return 1;
      }
      const updated = await updateUser(db, existing.id, { role: newRole, password: newPassword });
      await recordUserCreateChanges(db, updated!, { roleFrom: existing.role, roleTo: newRole, password: newPassword !== undefined });
      const what = [newRole ? `role ${updated!.role}` : null, newPassword ? "new password (signed out everywhere)" : null].filter(Boolean).join(", ");
      console.log(`Updated user ${updated!.email} (id ${updated!.id}): ${what}.`);
    } else {
      const user = await createUser(db, { email: address, role: newRole!, password: newPassword! });
      await recordChange(db, COMMAND_ACTOR, user, "created", { role: user.role });
      console.log(`Created ${user.role} user ${user.email} (id ${user.id}).`);
    }
    return 0;
  } catch (error) {
    if (error instanceof DuplicateEmailError) {
      console.error(`error: a user with e-mail ${address} already exists (use --update to change it)`);
      return 1;
    }
    throw error;
  } finally {
    await db.close();
  }
}

function check<T>(schema: z.ZodType<T>, value: unknown, missing: string): T {
  if (value === undefined) throw new UsageError(missing);
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new UsageError(parsed.error.issues[0]!.message);
  return parsed.data;
}

async function readPassword(fromStdin: boolean, updating: boolean): Promise<string> {
  if (fromStdin) return (await readStdin()).replace(/\r?\n$/, "");
  if (!process.stdin.isTTY) throw new UsageError("no terminal to prompt for the password: pipe it in with --password-stdin");
  const first = await readHiddenLine(updating ? "New password (empty keeps the old one): " : "Password (at least 10 characters): ");
  if (updating && first === "") return "";
  const parsed = password.safeParse(first);
  if (!parsed.success) throw new UsageError(parsed.error.issues[0]!.message);
  const again = await readHiddenLine("Repeat the password: ");
  if (again !== first) throw new UsageError("the passwords do not match");
  return first;
}

// The users page lists these too: every change to a user is recorded, wherever it is made.
const COMMAND_ACTOR = { userId: null, name: "npm run user:create" };

async function recordUserCreateChanges(
  db: SqlClient,
  user: { id: number; email: string },
  change: { roleFrom: string; roleTo?: string; password: boolean },
): Promise<void> {
  if (change.roleTo && change.roleTo !== change.roleFrom) await recordChange(db, COMMAND_ACTOR, user, "role_changed", { from: change.roleFrom, to: change.roleTo });
  if (change.password) await recordChange(db, COMMAND_ACTOR, user, "password_reset");
}

async function assertMigrated(db: SqlClient): Promise<void> {
  const [row] = await db.query<{ exists: boolean }>(`SELECT to_regclass('public.app_users') IS NOT NULL AS exists`);
  if (!row?.exists) throw new Error("the database has no app_users table yet: run `npm run db:migrate` first");
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`error: ${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error(`error: ${(error as Error).message ?? error}`);
    process.exit(1);
  },
);
