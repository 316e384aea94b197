// "A run is computing" banner for the overview (and the runs page): each queued or running run
// with its progress and a link to its page. A server component: <ActiveRunBanner /> needs no props.
import Link from "next/link";
import { getDb } from "@/db/client";
import { getRun } from "@/db/compute/runs";
import { listActiveRuns } from "@/db/queries/runs";
import { requireUser } from "@/lib/auth/guard";
import { formatCount, formatSeconds, formatSymbols } from "./format";
import { progressPayload } from "./progress-payload";

export async function ActiveRunBanner() {
  await requireUser("viewer");
  const db = await getDb();
  const active = await listActiveRuns(db);
  if (active.length === 0) return null;
  const runs = await Promise.all(active.map(async (r) => ({ row: r, payload: progressPayload((await getRun(db, r.id))!) })));
  return (
    <div className="alert-info" role="status" data-testid="active-run-banner">
      {runs.map(({ row, payload }) => {
        const p = payload.progress;
        const percent = p.tradesTotal ? Math.floor(((p.tradesDone ?? 0) / p.tradesTotal) * 100) : null;
        return (
          <p key={row.id} style={{ margin: 0 }}>
            <strong>
              Run #{row.id} {row.status === "queued" ? "is queued" : "is computing"}
            </strong>{" "}
            version {row.allocation_version} · {formatSymbols(row.symbols)} · {row.mode} · started by {row.started_by}
            {row.status === "running" && percent !== null
              ? ` · ${percent} % of ${formatCount(p.tradesTotal ?? 0)} trades, ${formatSeconds(p.etaSeconds ?? null)} left`
              : ""}{" "}
            · <Link href={`/runs/${row.id}`}>Follow its progress</Link>
          </p>
        );
      })}
    </div>
  );
}
