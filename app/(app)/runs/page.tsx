import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { ActiveRunBanner } from "@/components/runs/ActiveRunBanner";
import { Pager, RunsTable } from "@/components/runs/RunsTable";
import { QueueControl } from "@/components/runs/QueueControl";
import { StartRunForm } from "@/components/runs/StartRunForm";
import { getDb } from "@/db/client";
import { versionMethods } from "@/db/compute/methods";
import { RUN_STATUSES } from "@/db/schema/fifo";
import { isQueuePaused, listRuns, listTradeSymbols } from "@/db/queries/runs";
import { listVersionSummaries, nextVersionNumber } from "@/db/queries/version-admin";
import { getCurrentVersion } from "@/db/queries/versions";
import { requireUser } from "@/lib/auth/guard";
import { roleAtLeast } from "@/lib/auth/roles";
import { idParam, MAX_CURSOR_PAGE, MAX_PAGE, versionParam } from "@/lib/table/url-state";

export const metadata: Metadata = { title: "Runs" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 25;
const searchSchema = z.object({
  page: z.coerce.number().int().min(1).max(MAX_CURSOR_PAGE).catch(1),
  after: z.unknown().transform(idParam).optional(),
  before: z.unknown().transform(idParam).optional(),
  status: z.enum(RUN_STATUSES).optional().catch(undefined),
  version: z.unknown().transform(versionParam).optional(),
});

export default async function RunsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser("viewer", { next: "/runs" });
  const parsed = searchSchema.parse(await searchParams);
  // A page number alone is read by OFFSET, so it stays bounded; with a cursor it is only a label.
  const keyset = parsed.after !== undefined || parsed.before !== undefined;
  const filter = keyset || parsed.page <= MAX_PAGE ? parsed : { ...parsed, page: 1 };
  const db = await getDb();
  const isAdmin = roleAtLeast(user.role, "admin");
  const { rows, total, page } = await listRuns(db, { ...filter, pageSize: PAGE_SIZE });
  const paused = await isQueuePaused(db);
  const startForm = isAdmin ? await startFormProps() : null;

  // Older/Newer seek from the last/first run shown (keyset); page 1 needs no cursor.
  const href = (target: number) => {
    const q = new URLSearchParams();
    if (filter.status) q.set("status", filter.status);
    if (filter.version) q.set("version", String(filter.version));
    if (target > 1) q.set("page", String(target));
    if (target > 1 && rows.length && target === page + 1) q.set("after", String(rows[rows.length - 1]!.id));
    if (target > 1 && rows.length && target === page - 1) q.set("before", String(rows[0]!.id));
    const text = q.toString();
    return text ? `/runs?${text}` : "/runs";
  };

  return (
    <main className="page page-wide stack">
      <div className="page-header">
        <div>
          <h1>Runs</h1>
          <p className="muted">Every computation: who started it, when, and what it changed.</p>
        </div>
        <div className="toolbar" style={{ margin: 0 }}>
          {isAdmin ? <QueueControl paused={paused} /> : null}
          <Link className="btn" href="/versions">
            Versions
          </Link>
        </div>
      </div>
      {paused ? (
        <p className="alert-info" role="status" data-testid="queue-paused">
          The queue is paused: queued runs wait until an admin resumes it.
        </p>
      ) : null}
      <ActiveRunBanner />
      {startForm ? (
        <section className="card" aria-label="Start a run">
          <h2>Start a run</h2>
          <p className="muted">
            The run is queued and computed in the background on the server; closing the browser does not stop it. One run
            per version at a time.
          </p>
          <StartRunForm {...startForm} />
        </section>
      ) : null}
      <section aria-label="History">
        <div className="toolbar">
          <h2 style={{ margin: 0 }}>History</h2>
          <StatusFilter current={filter.status} version={filter.version} />
        </div>
        <RunsTable rows={rows} showErrorDetails={isAdmin} />
        <Pager page={page} pageSize={PAGE_SIZE} total={total} href={href} />
      </section>
    </main>
  );

  async function startFormProps() {
    const [symbols, versions, nextVersion, current, methods] = await Promise.all([
      listTradeSymbols(db),
      listVersionSummaries(db),
      nextVersionNumber(db),
      getCurrentVersion(db),
      versionMethods(db),
    ]);
    const choices = versions.map((v) => ({
      version: v.allocation_version,
      isCurrent: v.is_current,
      activeRunId: v.active_run_id,
      method: methods.get(v.allocation_version) ?? null,
    }));
    const defaultVersion = choices.some((c) => c.version === current) ? current : (choices[0]?.version ?? "new");
    return { symbols, versions: choices, nextVersion, defaultVersion } as const;
  }
}

function StatusFilter({ current, version }: { current?: string; version?: number }) {
  const link = (status?: string) => {
    const q = new URLSearchParams();
    if (status) q.set("status", status);
    if (version) q.set("version", String(version));
    const text = q.toString();
    return text ? `/runs?${text}` : "/runs";
  };
  return (
    <nav aria-label="Filter by status" style={{ display: "flex", gap: 6, flexWrap: "wrap" }}>
      <Link className={`btn btn-small${!current ? " btn-primary" : ""}`} href={link()}>
        All
      </Link>
      {RUN_STATUSES.map((s) => (
        <Link key={s} className={`btn btn-small${current === s ? " btn-primary" : ""}`} href={link(s)}>
          {s}
        </Link>
      ))}
      {version ? <span className="muted">version {version}</span> : null}
    </nav>
  );
}
