// The users page's actions (admin only). The rules (last admin, duplicates) live in
// db/user-admin.ts; here they become messages beside the form. A password left empty is generated
// and shown to the admin once, to hand over (there is no e-mail delivery).
import { randomBytes } from "node:crypto";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { changeUserRole, createUserAsAdmin, resetUserPassword, setUserDisabled, UserAdminError, type Actor } from "@/db/user-admin";
import { DuplicateEmailError } from "@/db/users";
import { authorizedAction, UserFacingError } from "@/lib/auth/action";
import type { CurrentUser } from "@/lib/auth/session";
import { ROLES } from "@/lib/auth/roles";

export interface PasswordHandover {
  email: string;
  /** Only when the admin left the password empty: the generated one, shown once. */
  generatedPassword?: string;
}

const userId = z.coerce.number({ error: "Choose a user." }).int().positive("Choose a user.").max(Number.MAX_SAFE_INTEGER, "Choose a user.");
const role = z.enum(ROLES, { error: `Choose a role: ${ROLES.join(", ")}.` });
const optionalPassword = z
  .string()
  .optional()
  .transform((p) => p ?? "")
  .pipe(
    z.union([
      z.literal(""),
      z
        .string()
        .min(10, "At least 10 characters (or leave empty to generate one).")
        // bcrypt reads 72 bytes; more would be silently ignored
        .refine((p) => Buffer.byteLength(p, "utf8") <= 72, "At most 72 bytes (about 72 letters)."),
    ]),
  );

export const createUserSchema = z.object({
  email: z.string().trim().min(1, "Enter an e-mail address.").max(320, "That e-mail address is too long.").pipe(z.email("Enter a valid e-mail address.")),
  role,
  password: optionalPassword,
});
export const changeRoleSchema = z.object({ userId, role });
export const setDisabledSchema = z.object({ userId, disabled: z.enum(["true", "false"]).transform((v) => v === "true") });
export const resetPasswordSchema = z.object({ userId, password: optionalPassword });

const actorOf = (user: CurrentUser): Actor => ({ userId: user.id, name: user.email });
const generatePassword = () => randomBytes(12).toString("base64url");

async function asUserFacing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UserAdminError) throw new UserFacingError(error.message);
    if (error instanceof DuplicateEmailError) throw new UserFacingError("A user with this e-mail address already exists.", { email: "Already a user." });
    throw error;
  }
}

export const createUserAction = authorizedAction("admin", createUserSchema, async (input, admin) => {
  const password = input.password || generatePassword();
  const user = await asUserFacing(async () => createUserAsAdmin(await getDb(), actorOf(admin), { ...input, password }));
  revalidatePath("/users");
  const data: PasswordHandover = { email: user.email, generatedPassword: input.password ? undefined : password };
  return { ok: true as const, data, message: `Created ${user.role} ${user.email}.` };
});

export const changeRoleAction = authorizedAction("admin", changeRoleSchema, async (input, admin) => {
  const result = await asUserFacing(async () => changeUserRole(await getDb(), actorOf(admin), input.userId, input.role));
  revalidatePath("/users");
  return { ok: true as const, data: undefined, message: result.changed ? `${result.email} is now ${input.role}.` : `${result.email} already is ${input.role}.` };
});

export const setDisabledAction = authorizedAction("admin", setDisabledSchema, async (input, admin) => {
  const result = await asUserFacing(async () => setUserDisabled(await getDb(), actorOf(admin), input.userId, input.disabled));
  revalidatePath("/users");
  const state = input.disabled ? "disabled (signed out everywhere)" : "enabled";
  return { ok: true as const, data: undefined, message: `${result.email} is ${state}.` };
});

export const resetPasswordAction = authorizedAction("admin", resetPasswordSchema, async (input, admin) => {
  const password = input.password || generatePassword();
  const result = await asUserFacing(async () => resetUserPassword(await getDb(), actorOf(admin), input.userId, password));
  revalidatePath("/users");
  const data: PasswordHandover = { email: result.email, generatedPassword: input.password ? undefined : password };
  return { ok: true as const, data, message: `New password set for ${result.email}; they are signed out everywhere.` };
});
