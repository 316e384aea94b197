// The page-side authorization check. Call it at the top of every page, layout, route handler and
// data read that needs a signed-in user; it never returns without one of at least `min` role.
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { roleAtLeast, type Role } from "./roles";
import { getCurrentUser, type CurrentUser } from "./session";

/** Request header that proxy.ts sets to the requested path + query, so we can come back after sign-in. */
export const PATH_HEADER = "x-fifo-path";

/**
 * Returns the signed-in user, or ends the request:
 * - not signed in -> redirect to `/sign-in?next=<current path>` (the path comes from proxy.ts, or
 *   `options.next` when the caller knows it better);
 * - role below `min` -> redirect to `/forbidden?need=<min>` (a 403 page).
 */
export async function requireUser(min: Role = "viewer", options: { next?: string } = {}): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) {
    const next = options.next ?? (await currentPath());
    redirect(next && isSafeNextPath(next) && next !== "/" ? `/sign-in?next=${encodeURIComponent(next)}` : "/sign-in");
  }
  if (!roleAtLeast(user.role, min)) redirect(`/forbidden?need=${min}`);
  return user;
}

async function currentPath(): Promise<string | null> {
  try {
    return (await headers()).get(PATH_HEADER);
  } catch {
    return null; // outside a request (scripts)
  }
}

/**
 * Only same-site relative paths may be a post-sign-in destination: one leading slash, no
 * protocol-relative `//host`, no backslashes (browsers treat `/\host` like `//host`), no control characters.
 */
export function isSafeNextPath(next: string | null | undefined): next is string {
  if (!next || next.length > 2000) return false;
  if (!next.startsWith("/") || next.startsWith("//")) return false;
  if (/[\\\u0000-\u001f\u007f]/.test(next)) return false;
  try {
    const url = new URL(next, "http://same.invalid");
    return url.origin === "http://same.invalid";
  } catch {
    return false;
  }
}
