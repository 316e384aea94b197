// bcrypt reads at most 72 bytes of a password and silently ignores the rest, so two long
// passwords sharing their first 72 bytes would be the same password. We refuse longer ones
// (counted in UTF-8 bytes, not characters) instead of truncating them.
import { z } from "zod";

export const PASSWORD_MAX_BYTES = 72;

export const PASSWORD_TOO_LONG = `Passwords can be at most ${PASSWORD_MAX_BYTES} bytes (UTF-8) long.`;

export function passwordBytes(password: string): number {
  return new TextEncoder().encode(password).length;
}

export function passwordFits(password: string): boolean {
  return passwordBytes(password) <= PASSWORD_MAX_BYTES;
}

/** A password a user may set: 10 characters to 72 bytes. */
export const newPasswordSchema = z
  .string()
  .min(10, "the password must be at least 10 characters")
  .refine(passwordFits, PASSWORD_TOO_LONG);
