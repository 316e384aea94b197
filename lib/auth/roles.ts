// Dashboard roles, weakest first: a viewer reads, a reviewer also works the review queue, an admin
// also starts runs and manages users. Every check compares ranks with roleAtLeast.

export type Role = "viewer" | "reviewer" | "admin";

/** All roles, weakest first (the order is the rank). */
export const ROLES = ["viewer", "reviewer", "admin"] as const satisfies readonly Role[];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** True when `role` may do what `min` may do. */
export function roleAtLeast(role: Role, min: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(min);
}
