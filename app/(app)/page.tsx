import type { Metadata } from "next";
import { Overview } from "@/components/overview/overview";
import { getDb } from "@/db/client";
import { overviewPageData } from "@/db/queries/dashboard-pages";
import { requireUser } from "@/lib/auth/guard";

export const metadata: Metadata = { title: "Overview · FIFO Allocations" };
export const dynamic = "force-dynamic";

// The overview: the health of every allocation version (v_allocation_health's figures from the
// read models), runs in progress, the symbols whose PnL changed most, and the latest runs.
export default async function OverviewPage() {
  await requireUser("viewer", { next: "/" });
  const data = await overviewPageData(await getDb());
  return (
    <main className="page page-wide">
      <div className="page-header">
        <div>
          <h1>Overview</h1>
          <p className="muted">
            Health of each allocation version: how many sells FIFO matched, the new realized PnL against the old
            system&apos;s, and what still needs a reviewer.
          </p>
        </div>
      </div>
      <Overview data={data} />
    </main>
  );
}
