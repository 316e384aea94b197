// The overview page's body: runs in progress, each version's health (current first), the symbols
// whose PnL changed most, and the latest runs.
import Link from "next/link";
import type { overviewPageData } from "@/db/queries/dashboard-pages";
import { ActiveRuns } from "./active-runs";
import { RecentRuns } from "./recent-runs";
import { TopSymbols } from "./top-symbols";
import { VersionHealthCard } from "./version-health";
import styles from "./overview.module.css";

export function Overview({ data }: { data: Awaited<ReturnType<typeof overviewPageData>> }) {
  const current = data.health.find((h) => h.version === data.currentVersion);
  const others = data.health.filter((h) => h.version !== data.currentVersion);
  return (
    <>
      <ActiveRuns runs={data.running} />
      {data.health.length === 0 ? (
        <div className="card empty">
          No allocations computed yet. An admin starts version 1 on <Link href="/runs">Runs</Link> (or{" "}
          <code>npm run compute-allocations -- --all-symbols --version 1</code>).
        </div>
      ) : (
        <div className={styles.grid}>
          {current && <VersionHealthCard health={current} isCurrent />}
          <TopSymbols rows={data.topSymbols} version={data.currentVersion} />
          {others.map((h) => (
            <VersionHealthCard key={h.version} health={h} isCurrent={false} />
          ))}
          <RecentRuns runs={data.runs} />
        </div>
      )}
    </>
  );
}
