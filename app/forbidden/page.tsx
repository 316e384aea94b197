import Link from "next/link";
import { isRole } from "@/lib/auth/roles";
import { getCurrentUser } from "@/lib/auth/session";

export const metadata = { title: "Not allowed" };

// Where requireUser() sends a user whose role is too low (403 in words: the redirect itself is a 307).
export default async function ForbiddenPage({ searchParams }: { searchParams: Promise<{ need?: string }> }) {
  const { need } = await searchParams;
  const user = await getCurrentUser();
  return (
    <main className="auth-page">
      <div className="card auth-card">
        <h1>Not allowed</h1>
        <p>
          {isRole(need) ? (
            <>
              This page needs the <strong>{need}</strong> role
            </>
          ) : (
            "You may not open this page"
          )}
          {user ? (
            <>
              ; you are signed in as {user.email} (<strong>{user.role}</strong>).
            </>
          ) : (
            "."
          )}
        </p>
        <p className="muted">Ask an admin if you need more access.</p>
        <Link className="btn" href="/">
          Back to the overview
        </Link>
      </div>
    </main>
  );
}
