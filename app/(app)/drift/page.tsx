import Big from "big.js";
import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { DriftCauseBars, DriftLines } from "@/components/charts/drift-charts";
import { Money } from "@/components/format/money";
import { ValidationPeriodForm } from "@/components/cutover/ValidationPeriodForm";
import { getDb } from "@/db/client";
import { driftByCause, driftDays, driftSummary, validationPeriod } from "@/db/queries/drift";
import { getCurrentVersion, listVersions } from "@/db/queries/versions";
import { requireUser } from "@/lib/auth/guard";
import { roleAtLeast } from "@/lib/auth/roles";
import { driftCauseLabel } from "@/lib/cutover/drift-causes";
import { filterFields, type SearchParams } from "@/lib/table/url-state";

export const metadata: Metadata = { title: "Drift · FIFO Allocations" };
export const dynamic = "force-dynamic";

const Params = z.object({ version: filterFields.version, from: filterFields.day, to: filterFields.day });

// Parallel operation (seed step 4): old vs new realized PnL per day over the validation period,
// the days they disagree, and by what cause.
export default async function DriftPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireUser("viewer", { next: "/drift" });
  const db = await getDb();
  const params = Params.parse(await searchParams);
  const version = params.version ?? (await getCurrentVersion(db));
  const stored = await validationPeriod(db, version);
  const period = { from: params.from ?? stored.from, to: params.to ?? stored.to };
  if (period.from > period.to) [period.from, period.to] = [period.to, period.from];
  const [versions, days, causes, summary] = [
    await listVersions(db),
    await driftDays(db, version, period),
    await driftByCause(db, version, period),
    await driftSummary(db, version, period),
  ];

  const total = (pick: (d: (typeof days)[number]) => string) => days.reduce((s, d) => s.plus(pick(d)), new Big(0)).toString();
  const causeNames = [...new Set(causes.map((c) => c.cause))].sort();
  const causeTotals = causeNames.map((cause) => {
    const rows = causes.filter((c) => c.cause === cause);
    return {
      cause,
      sells: rows.reduce((n, r) => n + r.sells, 0),
      days: rows.length,
      difference: rows.reduce((s, r) => s.plus(r.difference_usd), new Big(0)).toString(),
    };
  });
  const byDay = new Map<string, Record<string, string>>();
  for (const c of causes) byDay.set(c.day, { ...byDay.get(c.day), [c.cause]: c.difference_usd });
  const disagreeing = days.filter((d) => d.differing_sells > 0);
  const isOverride = params.from !== undefined || params.to !== undefined;

  return (
    <main className="page page-wide stack">
      <div className="page-header">
        <div>
          <h1>Drift: old vs new, per day</h1>
          <p className="muted">
            Version {version} against the old system&apos;s <code>pnl_usd</code>, {period.from} to {period.to} (UTC)
            {isOverride ? " (chosen in the URL)" : stored.source === "set" ? " (the version's validation period)" : " (the last 30 days with trades; no validation period set)"}.
            Differences are new minus old.
          </p>
        </div>
        <form method="get" className="toolbar" data-testid="drift-controls">
          <div className="field">
            <label htmlFor="drift-version">Version</label>
            <select id="drift-version" name="version" defaultValue={String(version)}>
              {versions.map((v) => (
                <option key={v.version} value={v.version}>
                  Version {v.version}
                  {v.isCurrent ? " (current)" : ""}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="drift-from">From</label>
            <input id="drift-from" name="from" type="date" defaultValue={period.from} />
          </div>
          <div className="field">
            <label htmlFor="drift-to">To</label>
            <input id="drift-to" name="to" type="date" defaultValue={period.to} />
          </div>
          <button type="submit" className="btn">Show</button>
        </form>
      </div>

      <section className="cards">
        <div className="card stat"><span className="stat-label">Old system (USD)</span><span className="stat-value"><Money value={total((d) => d.old_pnl_usd)} /></span></div>
        <div className="card stat"><span className="stat-label">Version {version} (USD)</span><span className="stat-value"><Money value={total((d) => d.new_pnl_usd)} /></span></div>
        <div className="card stat"><span className="stat-label">Difference (USD)</span><span className="stat-value" data-testid="drift-difference"><Money value={total((d) => d.difference_usd)} /></span></div>
        <div className="card stat"><span className="stat-label">Days that disagree</span><span className="stat-value" data-testid="drift-days">{disagreeing.length} / {days.length}</span></div>
        <div className="card stat">
          <span className="stat-label">Differing sells without an explanation</span>
          <span className="stat-value" data-testid="drift-unexplained">{summary.unexplainedSells.toLocaleString("en-US")} / {summary.differingSells.toLocaleString("en-US")}</span>
        </div>
      </section>

      <section className="card">
        <h2>Realized PnL per day</h2>
        {days.length ? <DriftLines data={days.map((d) => ({ day: d.day, oldPnlUsd: d.old_pnl_usd, newPnlUsd: d.new_pnl_usd }))} /> : <p className="empty">No sells in this period for version {version}.</p>}
      </section>

      <section className="card">
        <h2>Difference per day, by cause</h2>
        {disagreeing.length ? (
          <DriftCauseBars data={[...byDay].map(([day, differences]) => ({ day, differences }))} causes={causeNames} />
        ) : (
          <p className="empty">Old and new agree on every day of the period.</p>
        )}
        {causeTotals.length ? (
          <div className="table-wrap">
            <table className="table" data-testid="drift-causes">
              <thead><tr><th>Cause</th><th className="num">Sells</th><th className="num">Days</th><th className="num">Difference (USD)</th></tr></thead>
              <tbody>
                {causeTotals.map((c) => (
                  <tr key={c.cause} data-cause={c.cause}>
                    <td>{driftCauseLabel(c.cause)}</td>
                    <td className="num">{c.sells.toLocaleString("en-US")}</td>
                    <td className="num">{c.days}</td>
                    <td className="num"><Money value={c.difference} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        <p className="muted">
          <a href={`/drift/export?version=${version}&from=${period.from}&to=${period.to}`} download data-testid="drift-export">
            Download the differing sells (CSV)
          </a>
          . A differing sell counts as explained when it has a cause and no open review item. Work the open ones in the{" "}
          <Link href={`/review?version=${version}`}>review queue</Link>; the sells themselves are on the{" "}
          <Link href={`/discrepancies?version=${version}`}>discrepancies</Link> page.
        </p>
      </section>

      {disagreeing.length ? (
        <section className="card">
          <h2>Days that disagree</h2>
          <div className="table-wrap">
            <table className="table" data-testid="drift-table">
              <thead>
                <tr><th>Day (UTC)</th><th className="num">Sells</th><th className="num">Differing</th><th className="num">Old (USD)</th><th className="num">New (USD)</th><th className="num">Difference</th><th>Causes</th></tr>
              </thead>
              <tbody>
                {disagreeing.map((d) => (
                  <tr key={d.day} data-day={d.day}>
                    <td>{d.day}</td>
                    <td className="num">{d.sells}</td>
                    <td className="num">{d.differing_sells}</td>
                    <td className="num"><Money value={d.old_pnl_usd} /></td>
                    <td className="num"><Money value={d.new_pnl_usd} /></td>
                    <td className="num"><Money value={d.difference_usd} /></td>
                    <td>
                      {causes.filter((c) => c.day === d.day).map((c) => `${driftCauseLabel(c.cause).split(":")[0]} (${c.sells})`).join(", ")}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      {roleAtLeast(user.role, "admin") ? (
        <section className="card" aria-label="Validation period">
          <h2>Validation period of version {version}</h2>
          <p className="muted">The cutover checklist requires the drift of this period to be explained.</p>
          <ValidationPeriodForm version={version} from={stored.from} to={stored.to} />
        </section>
      ) : null}
    </main>
  );
}
