import type { Metadata } from "next";
import { MethodBars } from "@/components/charts/method-bars";
import { Money } from "@/components/format/money";
import { Price, Size } from "@/components/format/size";
import { TradeLink } from "@/components/format/trade-link";
import { getDb } from "@/db/client";
import { versionMethods } from "@/db/compute/methods";
import { monthEndTotals, monthEndsOf, openLotsAtMonthEnd } from "@/db/queries/month-end-inventory";
import { firstTaxLots, taxTotals, taxYears } from "@/db/queries/tax-lots";
import { getCurrentVersion, listVersions } from "@/db/queries/versions";
import { requireUser } from "@/lib/auth/guard";
import { CompareControls } from "../compare/compare-controls";
import { parseTaxLots } from "./params";

export const metadata: Metadata = { title: "Tax lots · FIFO Allocations" };
export const dynamic = "force-dynamic";

const LOTS_SHOWN = 200;

export default async function TaxLotsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser("viewer", { next: "/tax-lots" });
  const asked = parseTaxLots(await searchParams);
  const db = await getDb();
  const [versions, methods] = await Promise.all([listVersions(db), versionMethods(db)]);
  const withData = versions.filter((v) => v.hasData);
  const version = asked.version ?? (await getCurrentVersion(db));
  const method = (methods.get(version) ?? "fifo").toUpperCase();
  const [years, monthEnds] = await Promise.all([taxYears(db, version), monthEndsOf(db, version)]);
  const year = asked.year ?? years[0] ?? new Date().getUTCFullYear();
  const monthEnd = asked.month && monthEnds.includes(asked.month) ? asked.month : monthEnds[0];
  const [totals, lots, inventory, inventoryLots] = await Promise.all([
    taxTotals(db, version, year),
    firstTaxLots(db, version, year, LOTS_SHOWN),
    monthEnd ? monthEndTotals(db, version, monthEnd) : Promise.resolve([]),
    monthEnd ? openLotsAtMonthEnd(db, version, monthEnd, LOTS_SHOWN) : Promise.resolve([]),
  ]);
  const perSymbol = totals.filter((t) => t.symbol !== null);
  const ofTerm = (term: "short" | "long" | null) => totals.find((t) => t.symbol === null && t.term === term);
  const grand = ofTerm(null);
  const bySymbol = [...new Set(perSymbol.map((t) => t.symbol!))].map((symbol) => ({
    label: symbol,
    gains: Object.fromEntries(perSymbol.filter((t) => t.symbol === symbol).map((t) => [t.term!, t.gainUsd])),
  }));

  return (
    <main className="page page-wide">
      <div className="page-header">
        <div>
          <h1>Tax lots</h1>
          <p className="muted">
            Version {version} ({method}): every lot sold in {year} (UTC) with its proceeds (size × sell price − sell fee share),
            cost basis (size × buy price + buy fee share) and gain (the allocation&apos;s PnL, exact). Long term: held more than
            one year. The same report on the command line: <code>npm run -s tax-report -- --version {version} --year {year}</code>.
          </p>
        </div>
        <CompareControls
          choices={[
            { id: "version", label: "Version", value: String(version),
              options: withData.map((v) => ({ value: String(v.version), label: `Version ${v.version} (${(methods.get(v.version) ?? "fifo").toUpperCase()})${v.isCurrent ? " · current" : ""}` })) },
            { id: "year", label: "Tax year", value: String(year),
              options: (years.length ? years : [year]).map((y) => ({ value: String(y), label: String(y) })) },
            { id: "month", label: "Open lots at", value: monthEnd ?? "",
              options: monthEnds.length ? monthEnds.map((m) => ({ value: m, label: m })) : [{ value: "", label: "no month ends yet" }] },
          ]}
        />
      </div>

      <section className="cards" style={{ marginBottom: 16 }} aria-label="Year totals">
        <div className="card stat"><span className="stat-label">Short-term gain (USD)</span><span className="stat-value" data-testid="tax-short"><Money value={ofTerm("short")?.gainUsd ?? "0"} /></span></div>
        <div className="card stat"><span className="stat-label">Long-term gain (USD)</span><span className="stat-value" data-testid="tax-long"><Money value={ofTerm("long")?.gainUsd ?? "0"} /></span></div>
        <div className="card stat"><span className="stat-label">Realized PnL {year} (USD)</span><span className="stat-value" data-testid="tax-total"><Money value={grand?.gainUsd ?? "0"} /></span></div>
        <div className="card stat"><span className="stat-label">Lots</span><span className="stat-value">{(grand?.lots ?? 0).toLocaleString("en-US")}</span></div>
      </section>

      <section className="card">
        <div className="card-header">
          <h2 style={{ margin: 0 }}>Totals per symbol and term</h2>
          <a className="btn btn-small" href={`/tax-lots/export?version=${version}&year=${year}`} data-testid="tax-lots-export">
            Export CSV (every lot and the totals)
          </a>
        </div>
        {bySymbol.length ? (
          <MethodBars testId="chart-tax-symbols" ariaLabel="Gains per symbol, short and long term" data={bySymbol}
            methods={[{ method: "short", label: "Short term" }, { method: "long", label: "Long term" }]} />
        ) : null}
        <div className="table-wrap">
          <table className="table" data-testid="tax-totals">
            <thead><tr><th>Symbol</th><th>Term</th><th className="num">Lots</th><th className="num">Size</th><th className="num">Proceeds (USD)</th><th className="num">Cost basis (USD)</th><th className="num">Gain (USD)</th></tr></thead>
            <tbody>
              {totals.map((t) => (
                <tr key={`${t.symbol}|${t.term}`} style={t.symbol === null ? { fontWeight: 600 } : undefined}>
                  <td>{t.symbol ?? "All symbols"}</td><td>{t.term ?? "all"}</td><td className="num">{t.lots.toLocaleString("en-US")}</td>
                  <td className="num"><Size value={t.size} /></td><td className="num"><Money value={t.proceedsUsd} signed={false} /></td>
                  <td className="num"><Money value={t.costBasisUsd} signed={false} /></td><td className="num"><Money value={t.gainUsd} /></td>
                </tr>
              ))}
              {totals.length === 0 && <tr><td colSpan={7} className="empty">Nothing sold in {year}.</td></tr>}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card" style={{ marginTop: 16 }}>
        <h2>Lots sold in {year}</h2>
        <p className="muted">{(grand?.lots ?? 0) > LOTS_SHOWN ? `The first ${LOTS_SHOWN} of ${grand!.lots.toLocaleString("en-US")}; the CSV has them all.` : "All of them."} Times in UTC.</p>
        <div className="table-wrap">
          <table className="table" data-testid="tax-lots">
            <thead><tr><th>Symbol</th><th>Term</th><th className="num">Size</th><th>Acquired</th><th>Sold</th><th className="num">Proceeds (USD)</th><th className="num">Cost basis (USD)</th><th className="num">Gain (USD)</th><th>Sell</th><th>Buy</th></tr></thead>
            <tbody>
              {lots.map((l) => (
                <tr key={`${l.sellTradeId}-${l.buyTradeId}`}>
                  <td>{l.symbol}</td><td>{l.term}</td><td className="num"><Size value={l.size} /></td>
                  <td className="num" style={{ textAlign: "left" }}>{l.acquiredAt}</td><td className="num" style={{ textAlign: "left" }}>{l.soldAt}</td>
                  <td className="num"><Money value={l.proceedsUsd} signed={false} /></td><td className="num"><Money value={l.costBasisUsd} signed={false} /></td>
                  <td className="num"><Money value={l.gainUsd} /></td>
                  <td><TradeLink id={Number(l.sellTradeId)} version={version} /></td><td><TradeLink id={Number(l.buyTradeId)} version={version} /></td>
                </tr>
              ))}
              {lots.length === 0 && <tr><td colSpan={10} className="empty">No lots.</td></tr>}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card" style={{ marginTop: 16 }} aria-label="Open lots at a month end">
        <div className="card-header">
          <h2 style={{ margin: 0 }}>Open lots at {monthEnd ?? "a month end"}</h2>
          {monthEnd ? (
            <a className="btn btn-small" href={`/tax-lots/inventory-export?version=${version}&month=${monthEnd}`} data-testid="inventory-export">
              Export CSV
            </a>
          ) : null}
        </div>
        <p className="muted">The inventory kept by the runs at the end of each UTC month, listed in the order {method} would sell it. The current month is provisional until it ends.</p>
        <div className="table-wrap">
          <table className="table" data-testid="inventory-totals">
            <thead><tr><th>Symbol</th><th className="num">Open lots</th><th className="num">Open size</th><th className="num">Cost basis (USD)</th></tr></thead>
            <tbody>
              {inventory.map((t) => (
                <tr key={t.symbol}><td>{t.symbol}</td><td className="num">{t.lots.toLocaleString("en-US")}</td><td className="num"><Size value={t.openSize} /></td><td className="num"><Money value={t.costBasisUsd} signed={false} /></td></tr>
              ))}
              {inventory.length === 0 && <tr><td colSpan={4} className="empty">Nothing open.</td></tr>}
            </tbody>
          </table>
        </div>
        {inventoryLots.length ? (
          <div className="table-wrap" style={{ marginTop: 12 }}>
            <table className="table" data-testid="inventory-lots">
              <thead><tr><th>Symbol</th><th className="num">#</th><th>Buy</th><th>Acquired (UTC)</th><th className="num">Buy price</th><th className="num">Remaining</th><th className="num">Cost basis (USD)</th></tr></thead>
              <tbody>
                {inventoryLots.map((l) => (
                  <tr key={`${l.symbol}-${l.buyTradeId}`}>
                    <td>{l.symbol}</td><td className="num">{l.position}</td><td><TradeLink id={Number(l.buyTradeId)} version={version} /></td>
                    <td className="num" style={{ textAlign: "left" }}>{l.acquiredAt}</td><td className="num"><Price value={l.buyPrice} /></td>
                    <td className="num"><Size value={l.remainingSize} /></td><td className="num"><Money value={l.costBasisUsd} signed={false} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </main>
  );
}
