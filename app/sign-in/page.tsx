import { redirect } from "next/navigation";
import { isSafeNextPath } from "@/lib/auth/guard";
import { getCurrentUser } from "@/lib/auth/session";
import { SignInForm } from "./sign-in-form";

export const metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const { next } = await searchParams;
  const target = typeof next === "string" && isSafeNextPath(next) ? next : "/";
  if (await getCurrentUser()) redirect(target);
  return (
    <main className="auth-page">
      <div className="card auth-card">
        <h1>FIFO Allocations</h1>
        <p className="muted">Sign in to review allocations and PnL.</p>
        <SignInForm next={target === "/" ? "" : target} />
      </div>
    </main>
  );
}
