// UX only, not security: sends visitors without a session cookie to /sign-in before rendering an
// app page, and passes the requested path on (x-fifo-path) so requireUser() can come back to it.
// The real checks are requireUser() and authorizedAction() on the server, against the database.
import { NextResponse, type NextRequest } from "next/server";
import { SESSION_COOKIE } from "./lib/auth/session-cookie";

const PATH_HEADER = "x-fifo-path"; // = lib/auth/guard.ts

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const path = pathname + search;
  // Server actions post to the page URL; let them through so they answer with their own result.
  const isAction = request.method === "POST" && request.headers.has("next-action");
  if (!request.cookies.has(SESSION_COOKIE) && !isAction && request.method === "GET") {
    const url = request.nextUrl.clone();
    url.pathname = "/sign-in";
    url.search = path === "/" ? "" : `?next=${encodeURIComponent(path)}`;
    return NextResponse.redirect(url);
  }
  const headers = new Headers(request.headers);
  headers.set(PATH_HEADER, path);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  // Everything except the sign-in page, Next's assets, API routes (they answer 401 themselves)
  // and files with an extension (favicon.ico, robots.txt, images).
  matcher: ["/((?!sign-in|forbidden|api/|_next/|.*\\.[a-zA-Z0-9]+$).*)"],
};
