import Link from "next/link";
import type { ReactNode } from "react";
import { signOut } from "@/app/sign-in/actions";
import { requireUser } from "@/lib/auth/guard";
import { AppNav } from "./app-nav";

// The signed-in shell. requireUser() here is a convenience for the whole group; every page and
// action still checks its own role (layouts do not re-run on client navigation).
export default async function AppLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  return (
    <>
      <header className="app-header">
        <Link href="/" className="app-brand">
          FIFO Allocations
        </Link>
        <AppNav isAdmin={user.role === "admin"} />
        <div className="app-user">
          <span className="muted" data-testid="current-user">
            {user.email}
          </span>
          <span className="badge" data-testid="current-role">
            {user.role}
          </span>
          <form action={signOut}>
            <button type="submit" className="btn btn-small">
              Sign out
            </button>
          </form>
        </div>
      </header>
      {children}
    </>
  );
}
