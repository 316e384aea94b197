// The symbols whose PnL changed most between the old system and the current version.
import Link from "next/link";
import { Money } from "@/components/format/money";
import type { SymbolComparison } from "@/db/queries/compare";

export function TopSymbols({ rows, version }: { rows: SymbolComparison[]; version: number }) {
  return (
    <section className="card">
      <h2>Largest PnL changes (old → v{version})</h2>
      {rows.length === 0 ? (
        <p className="muted">Nothing computed yet.</p>
      ) : (
        <table className="table" data-testid="top-symbols">
          <thead>
            <tr><th>Symbol</th><th className="num">Old (USD)</th><th className="num">New (USD)</th><th className="num">Change (USD)</th></tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.symbol}>
                <td><Link href={`/compare?version=${version}&symbol=${encodeURIComponent(r.symbol)}`}>{r.symbol}</Link></td>
                <td className="num"><Money value={r.baselineUsd} /></td>
                <td className="num"><Money value={r.targetUsd} /></td>
                <td className="num"><Money value={r.differenceUsd} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p style={{ marginBottom: 0 }}>
        <Link href={`/pnl?version=${version}`}>All symbols</Link> · <Link href={`/compare?version=${version}`}>Charts</Link>
      </p>
    </section>
  );
}
