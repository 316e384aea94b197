"use client";
// What a page shows when its server work failed. A busy database (pool exhausted, a query over its
// time limit) gets its own message and a retry; anything else a generic one. Production builds hide
// server error messages from the browser, so the busy case is told by the error's digest.
import { useRouter } from "next/navigation";
import { startTransition } from "react";
import { DATABASE_BUSY_DIGEST, DATABASE_BUSY_MESSAGE } from "@/lib/database-busy";

export function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  const busy = error.digest === DATABASE_BUSY_DIGEST;
  const retry = () =>
    startTransition(() => {
      router.refresh();
      reset();
    });
  return (
    <main className="auth-page">
      <div className="card auth-card" role="alert" data-testid={busy ? "database-busy" : "page-error"}>
        <h1>{busy ? "Busy, try again" : "Something went wrong"}</h1>
        <p className="muted">{busy ? DATABASE_BUSY_MESSAGE : "This page could not be loaded. Try again; if it keeps failing, tell an admin."}</p>
        {error.digest && !busy ? <p className="muted">Reference: {error.digest}</p> : null}
        <button type="button" className="btn" onClick={retry}>
          Try again
        </button>
      </div>
    </main>
  );
}
