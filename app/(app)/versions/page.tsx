import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { CutoverChecklist } from "@/components/cutover/CutoverChecklist";
import { FollowForm } from "@/components/cutover/FollowForm";
import { formatCount, formatTimestamp } from "@/components/runs/format";
import { DeleteVersionForm } from "@/components/runs/VersionAdminForms";
import { getDb } from "@/db/client";
import { listCutovers } from "@/db/queries/cutover";
import { DEFAULT_FOLLOW_INTERVAL_SECONDS, listFollows } from "@/db/queries/follow";
import { listVersionDeletions, listVersionSummaries } from "@/db/queries/version-admin";
import { requireUser } from "@/lib/auth/guard";
import { roleAtLeast } from "@/lib/auth/roles";
import { loadChecklist } from "@/lib/cutover/make-current";
import { filterFields, type SearchParams } from "@/lib/table/url-state";

export const metadata: Metadata = { title: "Versions" };
export const dynamic = "force-dynamic";

const Params = z.object({ cutover: filterFields.version });

// Allocation versions side by side: which one the dashboard treats as current, comparing any two,
// following the bot (parallel operation), the cutover checklist that gates making a version
// current, and (admin) deleting an old one.
export default async function VersionsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireUser("viewer", { next: "/versions" });
  const isAdmin = roleAtLeast(user.role, "admin");
  const db = await getDb();
  const params = Params.parse(await searchParams);
  const [versions, deletions, follows, cutovers] = [
    await listVersionSummaries(db),
    await listVersionDeletions(db),
    await listFollows(db),
    await listCutovers(db, 10),
  ];
  const followOf = new Map(follows.map((f) => [f.allocation_version, f]));
  const current = versions.find((v) => v.is_current)?.allocation_version ?? null;
  const [newest, previous] = versions;
  // The checklist shown: the one asked for, else the newest computed version that is not current.
  const candidates = versions.filter((v) => v.symbols > 0);
  const cutoverVersion =
    candidates.find((v) => v.allocation_version === params.cutover)?.allocation_version ??
    candidates.find((v) => !v.is_current)?.allocation_version ??
    candidates[0]?.allocation_version ??
    null;
  const checklist = cutoverVersion === null ? null : await loadChecklist(db, cutoverVersion, false);

  return (
    <main className="page page-wide stack">
      <div className="page-header">
        <div>
          <h1>Versions</h1>
          <p className="muted">
            Versions coexist. The current version is the one the dashboard shows by default
            {current ? ` (now version ${current})` : ""}.
          </p>
        </div>
        <Link className="btn" href="/runs">
          Runs
        </Link>
      </div>

      <section className="card" aria-label="Compare two versions">
        <h2>Compare</h2>
        <form action="/compare" method="get" className="toolbar">
          <div className="field">
            <label htmlFor="compare-version">Version</label>
            <select id="compare-version" name="version" defaultValue={newest ? String(newest.allocation_version) : undefined}>
              {versions.map((v) => (
                <option key={v.allocation_version} value={v.allocation_version}>
                  Version {v.allocation_version}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="compare-against">Against</label>
            <select id="compare-against" name="against" defaultValue={previous ? `v${previous.allocation_version}` : "old"}>
              <option value="old">Old system (trade_records)</option>
              <option value="snapshot">Historical snapshot (2025-11-20)</option>
              {versions.map((v) => (
                <option key={v.allocation_version} value={`v${v.allocation_version}`}>
                  Version {v.allocation_version}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="btn" disabled={versions.length === 0}>
            Compare
          </button>
        </form>
      </section>

      {versions.length === 0 ? (
        <div className="card empty">No version has been computed yet. Start a run on the Runs page.</div>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="versions-table">
            <thead>
              <tr>
                <th className="num">Version</th>
                <th>Method</th>
                <th>Status</th>
                <th className="num">Symbols</th>
                <th className="num">Allocations</th>
                <th className="num">Unmatched sells</th>
                <th className="num">Open review items</th>
                <th>Last run</th>
                <th>Compare</th>
                <th>Follows the bot</th>
                {isAdmin ? <th>Manage</th> : null}
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.allocation_version} data-testid="version-row" data-version={v.allocation_version}>
                  <td className="num">{v.allocation_version}</td>
                  <td data-testid="version-method">{v.method ? v.method.toUpperCase() : <span className="muted">first run pending</span>}</td>
                  <td>
                    {v.is_current ? <span className="badge badge-ok">Current</span> : null}{" "}
                    {v.active_run_id ? (
                      <Link className="badge badge-warn" href={`/runs/${v.active_run_id}`}>
                        Computing (run #{v.active_run_id})
                      </Link>
                    ) : null}
                  </td>
                  <td className="num">{formatCount(v.symbols)}</td>
                  <td className="num">{formatCount(Number(v.allocations))}</td>
                  <td className="num">{formatCount(v.unmatched_sells)}</td>
                  <td className="num">{formatCount(v.open_review_items)}</td>
                  <td>
                    {v.last_run_id ? (
                      <>
                        <Link href={`/runs/${v.last_run_id}`}>#{v.last_run_id}</Link> {v.last_run_status}
                        <span className="muted"> {formatTimestamp(v.last_run_finished_at)}</span>
                      </>
                    ) : (
                      "–"
                    )}
                  </td>
                  <td>
                    <Link href={`/compare?version=${v.allocation_version}&against=old`}>vs old</Link>
                    {current && current !== v.allocation_version ? (
                      <>
                        {" · "}
                        <Link href={`/compare?version=${v.allocation_version}&against=v${current}`}>vs current</Link>
                      </>
                    ) : null}
                    {v.method ? (
                      <>
                        {" · "}
                        <Link href={`/what-if?${v.method}=${v.allocation_version}`}>what if</Link>
                        {" · "}
                        <Link href={`/tax-lots?version=${v.allocation_version}`}>tax lots</Link>
                      </>
                    ) : null}
                  </td>
                  <td data-testid={`follow-state-${v.allocation_version}`}>
                    {followOf.get(v.allocation_version)?.enabled ? (
                      <span className="badge badge-ok">every {followOf.get(v.allocation_version)!.interval_seconds} s</span>
                    ) : (
                      <span className="muted">no</span>
                    )}{" "}
                    <Link href={`/drift?version=${v.allocation_version}`}>drift</Link>
                    {isAdmin && v.symbols > 0 ? (
                      <FollowForm
                        version={v.allocation_version}
                        enabled={followOf.get(v.allocation_version)?.enabled ?? false}
                        intervalSeconds={followOf.get(v.allocation_version)?.interval_seconds ?? DEFAULT_FOLLOW_INTERVAL_SECONDS}
                      />
                    ) : null}
                  </td>
                  {isAdmin ? (
                    <td>
                      {!v.is_current && v.symbols > 0 ? (
                        <Link className="btn btn-small" href={`/versions?cutover=${v.allocation_version}#cutover`} data-testid={`open-checklist-${v.allocation_version}`}>
                          Cutover checklist
                        </Link>
                      ) : null}{" "}
                      {!v.is_current && !v.active_run_id && v.symbols > 0 ? <DeleteVersionForm version={v.allocation_version} /> : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {checklist ? (
        <section className="card" id="cutover" aria-label="Cutover checklist">
          <h2>Cutover checklist: version {checklist.version}</h2>
          <p className="muted">
            Making a version current switches the dashboard and the report views <code>fifo_allocations_current</code> and{" "}
            <code>v_pnl_by_symbol_current</code> to it. Every item must hold; an admin may override with a reason, which is recorded.{" "}
            <Link href={`/drift?version=${checklist.version}`}>Drift of version {checklist.version}</Link>
          </p>
          <CutoverChecklist
            key={checklist.version}
            version={checklist.version}
            items={checklist.items}
            isAdmin={isAdmin}
            isCurrent={checklist.version === current}
          />
        </section>
      ) : null}

      {cutovers.length > 0 ? (
        <section className="card" aria-label="Cutover history">
          <h2>Cutover history</h2>
          <ul data-testid="cutover-history">
            {cutovers.map((c) => (
              <li key={c.id}>
                Version {c.allocation_version} made current{c.previous_version !== null ? ` (was ${c.previous_version})` : ""} by {c.made_by} at{" "}
                {formatTimestamp(c.made_at)} from the {c.source === "cli" ? "command line" : "dashboard"}
                {c.checklist_passed ? ", checklist complete." : "; checklist overridden: "}
                {c.override_reason ? <q>{c.override_reason}</q> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {deletions.length > 0 ? (
        <section className="card" aria-label="Deleted versions">
          <h2>Deleted versions</h2>
          <ul>
            {deletions.map((d) => (
              <li key={d.id}>
                Version {d.allocation_version} deleted by {d.deleted_by} at {formatTimestamp(d.deleted_at)} ({formatCount(Number(d.allocations_deleted))}{" "}
                allocations, {formatCount(Number(d.review_items_deleted))} review items).{" "}
                <Link href={`/runs?version=${d.allocation_version}`}>Its runs</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </main>
  );
}
