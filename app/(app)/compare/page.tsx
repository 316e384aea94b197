import Big from "big.js";
import type { Metadata } from "next";
import Link from "next/link";
import { CumulativeLines } from "@/components/charts/cumulative-lines";
import { DifferenceHistogram } from "@/components/charts/difference-histogram";
import { SymbolBars } from "@/components/charts/symbol-bars";
import { DateTime } from "@/components/format/date-time";
import { Money } from "@/components/format/money";
import { TradeLink } from "@/components/format/trade-link";
import { getDb } from "@/db/client";
import { versionMethods } from "@/db/compute/methods";
import { baselineParam } from "@/db/queries/compare";
import { comparePageData } from "@/db/queries/dashboard-pages";
import { requireUser } from "@/lib/auth/guard";
import type { SearchParams } from "@/lib/table/url-state";
import { CompareControls } from "./compare-controls";

export const metadata: Metadata = { title: "Compare PnL · FIFO Allocations" };

export default async function ComparePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireUser("viewer");
  const db = await getDb();
  const [data, methods] = await Promise.all([comparePageData(db, await searchParams), versionMethods(db)]);
  const methodOf = (version: number) => ` ${(methods.get(version) ?? "fifo").toUpperCase()}`;
  const targetLabel = `Version ${data.version}`;
  const against = baselineParam(data.baseline);
  const totalBaseline = data.cumulative.at(-1)?.cumulativeBaselineUsd ?? "0";
  const totalTarget = data.cumulative.at(-1)?.cumulativeTargetUsd ?? "0";
  const sellsChanged = data.histogram.filter((b) => b.bucket !== 0).reduce((s, b) => s + Number(b.sells), 0);
  const sellsTotal = data.histogram.reduce((s, b) => s + Number(b.sells), 0);
  return (
    <main className="page page-wide">
      <div className="page-header">
        <div>
          <h1>Compare PnL</h1>
          <p className="muted">
            {data.baselineLabel} against {targetLabel} ({methodOf(data.version).trim()})
            {data.symbol ? ` for ${data.symbol}` : ", all symbols"}.{" "}
            {data.baseline.kind === "snapshot" && "Only the sells in the historical snapshot (matched by the old system when the migration ran). "}
            Differences are {targetLabel} minus {data.baselineLabel}.
          </p>
        </div>
        <CompareControls
          choices={[
            { id: "version", label: "Version", value: String(data.version),
              options: data.versions.map((v) => ({ value: String(v.version), label: `v${v.version}${methodOf(v.version)}${v.isCurrent ? " (current)" : ""}` })) },
            { id: "against", label: "Against", value: against,
              options: [
                { value: "old", label: "Old system (pnl_usd)" },
                { value: "snapshot", label: "Historical snapshot 2025-11-20" },
                ...data.versions.filter((v) => v.version !== data.version).map((v) => ({ value: `v${v.version}`, label: `Version ${v.version}${methodOf(v.version)}` })),
              ] },
            { id: "symbol", label: "Symbol", value: data.symbol ?? "",
              options: [{ value: "", label: "All symbols" }, ...data.symbols.map((s) => ({ value: s, label: s }))] },
            { id: "bucket", label: "Period", value: data.bucket,
              options: [{ value: "day", label: "Day" }, { value: "week", label: "Week" }, { value: "month", label: "Month" }] },
          ]}
        />
      </div>

      <section className="cards" style={{ marginBottom: 16 }}>
        <div className="card stat"><span className="stat-label">{data.baselineLabel} (USD)</span><span className="stat-value"><Money value={totalBaseline} /></span></div>
        <div className="card stat"><span className="stat-label">{targetLabel} (USD)</span><span className="stat-value"><Money value={totalTarget} /></span></div>
        <div className="card stat"><span className="stat-label">Difference (USD)</span><span className="stat-value" data-testid="compare-difference"><Money value={subtract(totalTarget, totalBaseline)} /></span></div>
        <div className="card stat"><span className="stat-label">Sells changed by ≥ 0.01 USD</span><span className="stat-value">{sellsChanged.toLocaleString("en-US")} / {sellsTotal.toLocaleString("en-US")}</span></div>
      </section>

      {!data.symbol && (
        <section className="card">
          <h2>Per symbol</h2>
          <p className="muted">Realized PnL per symbol, largest change first. <Link href={`/pnl?version=${data.version}`}>As a table, with CSV export</Link>.</p>
          {data.bySymbol.length ? (
            <SymbolBars data={data.bySymbol} baselineLabel={data.baselineLabel} targetLabel={targetLabel} />
          ) : (
            <p className="empty">Nothing computed for this version yet.</p>
          )}
        </section>
      )}

      <section className="card" style={{ marginTop: 16 }}>
        <h2>Cumulative realized PnL</h2>
        {data.cumulative.length ? (
          <CumulativeLines data={data.cumulative} baselineLabel={data.baselineLabel} targetLabel={targetLabel} bucket={data.bucket} />
        ) : (
          <p className="empty">No realized PnL yet.</p>
        )}
      </section>

      <section className="card" style={{ marginTop: 16 }}>
        <h2>Distribution of per-sell differences</h2>
        <DifferenceHistogram data={data.histogram} seriesLabel={`Sells (${targetLabel} − ${data.baselineLabel})`} />
      </section>

      <section className="card" style={{ marginTop: 16 }}>
        <h2>Largest differences</h2>
        <p className="muted">
          Open a sell to see its lots. {data.baseline.kind === "old" && (
            <Link href={`/discrepancies?version=${data.version}&type=pnl_difference${data.symbol ? `&symbol=${data.symbol}` : ""}`}>
              Every PnL difference, sortable, with CSV export
            </Link>
          )}
        </p>
        <div className="table-wrap">
          <table className="table" data-testid="largest-differences">
            <thead>
              <tr>
                <th>Sell</th><th>Symbol</th><th>Sold at</th><th className="num">{data.baselineLabel} (USD)</th>
                <th className="num">{targetLabel} (USD)</th><th className="num">Difference (USD)</th><th>Old parent</th>
              </tr>
            </thead>
            <tbody>
              {data.largest.map((r) => (
                <tr key={r.sellTradeId}>
                  <td><TradeLink id={r.sellTradeId} version={data.version} /></td>
                  <td>{r.symbol}</td>
                  <td><DateTime value={r.sellTime} /></td>
                  <td className="num"><Money value={r.baselineUsd} /></td>
                  <td className="num"><Money value={r.targetUsd} /></td>
                  <td className="num"><Money value={r.differenceUsd} /></td>
                  <td><TradeLink id={r.oldParentId} version={data.version} /></td>
                </tr>
              ))}
              {data.largest.length === 0 && <tr><td colSpan={7} className="empty">No differences.</td></tr>}
            </tbody>
          </table>
        </div>
      </section>
    </main>
  );
}

function subtract(a: string, b: string): string {
  // exact: both are decimal strings from SQL
  return new Big(a).minus(b).toString();
}
