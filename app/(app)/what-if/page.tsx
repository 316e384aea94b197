import type { Metadata } from "next";
import Link from "next/link";
import { MethodBars } from "@/components/charts/method-bars";
import { Money } from "@/components/format/money";
import { getDb } from "@/db/client";
import { listTradeSymbols } from "@/db/queries/runs";
import { chooseVersions, methodVersions, whatIf, type WhatIfRow } from "@/db/queries/what-if";
import { requireUser } from "@/lib/auth/guard";
import { Decimal, LOT_METHODS, type LotMethod } from "@/lib/fifo";
import { CompareControls } from "../compare/compare-controls";
import { parseWhatIf } from "./params";

export const metadata: Metadata = { title: "What if: FIFO, LIFO, HIFO · FIFO Allocations" };
export const dynamic = "force-dynamic";

const NAMES: Record<LotMethod, string> = { fifo: "FIFO", lifo: "LIFO", hifo: "HIFO" };

export default async function WhatIfPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser("viewer", { next: "/what-if" });
  const { asked, symbol } = parseWhatIf(await searchParams);
  const db = await getDb();
  const [available, symbols] = await Promise.all([methodVersions(db), listTradeSymbols(db)]);
  const chosen = chooseVersions(available, asked);
  const result = await whatIf(db, chosen, symbol);
  const methods = LOT_METHODS.filter((m) => chosen[m] !== undefined);
  const series = methods.map((m) => ({ method: m, label: `${NAMES[m]} (v${chosen[m]})` }));
  const exportQuery = new URLSearchParams([...methods.map((m) => [m, String(chosen[m])]), ...(symbol ? [["symbol", symbol]] : [])]);
  const missing = LOT_METHODS.filter((m) => chosen[m] === undefined);

  return (
    <main className="page page-wide">
      <div className="page-header">
        <div>
          <h1>What if: FIFO, LIFO or HIFO?</h1>
          <p className="muted">
            Realized gains of the same trades under each lot-selection method, one version per method, by tax year and term
            (long: held more than one year, UTC dates) and by symbol{symbol ? `; ${symbol} only` : ""}.
          </p>
        </div>
        <CompareControls
          choices={[
            ...LOT_METHODS.map((m) => ({
              id: m,
              label: NAMES[m],
              value: chosen[m] ? String(chosen[m]) : "",
              options: [
                ...(chosen[m] ? [] : [{ value: "", label: "none computed" }]),
                ...available.filter((v) => v.method === m).map((v) => ({ value: String(v.version), label: `Version ${v.version}` })),
              ],
            })),
            { id: "symbol", label: "Symbol", value: symbol ?? "", options: [{ value: "", label: "All symbols" }, ...symbols.map((s) => ({ value: s, label: s }))] },
          ]}
        />
      </div>
      {missing.length > 0 ? (
        <p className="alert-info" role="status">
          No version computed with {missing.map((m) => NAMES[m]).join(" or ")} yet. An admin can start one on the{" "}
          <Link href="/runs">runs page</Link> (new version, method {missing.map((m) => NAMES[m]).join("/")}), or run{" "}
          <code>npm run compute-allocations -- --all-symbols --version N --method {missing[0]}</code>.
        </p>
      ) : null}

      <section className="cards" style={{ marginBottom: 16 }} aria-label="Total realized gains">
        {methods.map((m) => (
          <div className="card stat" key={m}>
            <span className="stat-label">{NAMES[m]} · version {chosen[m]}</span>
            <span className="stat-value" data-testid={`what-if-total-${m}`}>
              <Money value={result.total[m] ?? "0"} />
            </span>
          </div>
        ))}
      </section>

      <section className="card">
        <div className="card-header">
          <h2 style={{ margin: 0 }}>By tax year and term</h2>
          <a className="btn btn-small" href={`/what-if/export?${exportQuery}`} data-testid="what-if-export">
            Export CSV (symbol × year × term)
          </a>
        </div>
        {result.byYearTerm.length ? (
          <MethodBars
            testId="chart-what-if-years"
            ariaLabel="Realized gains per tax year and term, by method"
            methods={series}
            data={result.byYearTerm.map((r) => ({ label: `${r.year} ${r.term}`, gains: r.gains }))}
          />
        ) : (
          <p className="empty">Nothing sold yet in these versions.</p>
        )}
        <GainsTable testId="what-if-years" rows={result.byYearTerm} methods={methods} first={(r) => `${r.year} · ${r.term}`} firstHeader="Tax year · term" />
      </section>

      <section className="card" style={{ marginTop: 16 }}>
        <h2>By symbol</h2>
        {result.bySymbol.length > 1 ? (
          <MethodBars
            testId="chart-what-if-symbols"
            ariaLabel="Realized gains per symbol, by method"
            methods={series}
            data={result.bySymbol.map((r) => ({ label: r.symbol!, gains: r.gains }))}
          />
        ) : null}
        <GainsTable testId="what-if-symbols" rows={result.bySymbol} methods={methods} first={(r) => r.symbol!} firstHeader="Symbol" />
      </section>
    </main>
  );
}

function GainsTable(props: { testId: string; rows: WhatIfRow[]; methods: LotMethod[]; first: (r: WhatIfRow) => string; firstHeader: string }) {
  const others = props.methods.filter((m) => m !== "fifo");
  const hasFifo = props.methods.includes("fifo");
  return (
    <div className="table-wrap" style={{ marginTop: 12 }}>
      <table className="table" data-testid={props.testId}>
        <thead>
          <tr>
            <th>{props.firstHeader}</th>
            {props.methods.map((m) => (
              <th key={m} className="num">{NAMES[m]} (USD)</th>
            ))}
            {hasFifo && others.map((m) => <th key={m} className="num">{NAMES[m]} − FIFO (USD)</th>)}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr key={props.first(r)}>
              <td>{props.first(r)}</td>
              {props.methods.map((m) => (
                <td key={m} className="num" data-method={m}><Money value={r.gains[m] ?? "0"} /></td>
              ))}
              {hasFifo &&
                others.map((m) => (
                  <td key={m} className="num"><Money value={new Decimal(r.gains[m] ?? "0").minus(r.gains.fifo ?? "0").toFixed()} /></td>
                ))}
            </tr>
          ))}
          {props.rows.length === 0 && (
            <tr><td colSpan={1 + props.methods.length * 2} className="empty">No realized gains.</td></tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
