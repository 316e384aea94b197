// The Discrepancies page's opening: per cause, the sells it explains, their total and largest
// difference, a few examples, a filter link, and the reviewer's decision (accept / undo).
import Link from "next/link";
import { CauseBars } from "@/components/charts/cause-bars";
import { DateTime } from "@/components/format/date-time";
import { Money } from "@/components/format/money";
import { TradeLink } from "@/components/format/trade-link";
import type { CauseSummaryRow } from "@/db/queries/discrepancy-causes";
import type { CauseDecisionRow } from "@/db/review/cause-decisions";
import { CAUSE_EXPLANATIONS, isAcceptableCause, type DiscrepancyCause } from "@/lib/compute/discrepancy-causes";
import { formatCount } from "@/lib/format/decimal";
import { AcceptCauseForm, UndoCauseForm } from "./CauseDecisionForms";

export interface CauseSummaryProps {
  version: number;
  symbol?: string;
  rows: CauseSummaryRow[];
  decisions: CauseDecisionRow[];
  canDecide: boolean;
}

export function CauseSummary({ version, symbol, rows, decisions, canDecide }: CauseSummaryProps) {
  const filterHref = (cause: string) =>
    `/discrepancies?version=${version}&type=pnl_difference&cause=${cause}${symbol ? `&symbol=${encodeURIComponent(symbol)}` : ""}`;
  return (
    <section className="card" aria-label="Differences by cause" data-testid="cause-summary" style={{ marginBottom: 16 }}>
      <h2>PnL differences by cause</h2>
      {rows.length === 0 ? (
        <p className="muted">No sell of this version differs from the old system{symbol ? ` in ${symbol}` : ""}.</p>
      ) : (
        <>
          <p className="muted">
            Decide about causes, not single sells: accepting a cause settles every sell of that cause in version {version},
            now and in later runs. Runs open individual items only for unexplained differences and large ones.
          </p>
          <CauseBars data={rows.map((r) => ({ cause: r.cause, sells: r.sells, totalDifferenceUsd: r.totalDifferenceUsd }))} />
          <div className="table-wrap">
            <table className="table" data-testid="cause-table">
              <thead>
                <tr>
                  <th>Cause</th><th className="num">Sells</th><th className="num">Total difference (USD)</th>
                  <th className="num">Largest |difference| (USD)</th><th>Examples</th><th className="num">Open items</th><th>Decision</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.cause} data-testid={`cause-row-${r.cause}`}>
                    <td>
                      <Link href={filterHref(r.cause)} data-testid={`cause-filter-${r.cause}`}><strong>{r.cause.replace(/_/g, " ")}</strong></Link>
                      <div className="muted" style={{ fontSize: 12 }}>{CAUSE_EXPLANATIONS[r.cause as DiscrepancyCause] ?? ""}</div>
                    </td>
                    <td className="num" data-testid={`cause-sells-${r.cause}`}>{formatCount(r.sells)}</td>
                    <td className="num"><Money value={r.totalDifferenceUsd} /></td>
                    <td className="num"><Money value={r.largestAbsDifferenceUsd} signed={false} /></td>
                    <td>
                      {r.examples.map((e) => (
                        <span key={e.tradeId} style={{ marginRight: 8, whiteSpace: "nowrap" }}>
                          <TradeLink id={e.tradeId} version={version} /> <Money value={e.differenceUsd} />
                        </span>
                      ))}
                    </td>
                    <td className="num" data-testid={`cause-open-${r.cause}`}>{formatCount(r.openItems)}</td>
                    <td style={{ minWidth: 240 }}>
                      <Decision version={version} row={r} canDecide={canDecide} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {decisions.length > 0 && <DecisionHistory decisions={decisions} />}
    </section>
  );
}

function Decision({ version, row, canDecide }: { version: number; row: CauseSummaryRow; canDecide: boolean }) {
  if (row.accepted) {
    return (
      <div data-testid={`cause-accepted-${row.cause}`}>
        <span className="badge badge-low">accepted</span> by {row.accepted.by}, <DateTime value={row.accepted.at} />
        <div className="muted" style={{ fontSize: 12 }}>“{row.accepted.reason}”</div>
        {canDecide && <UndoCauseForm decisionId={row.accepted.decisionId} cause={row.cause} />}
      </div>
    );
  }
  if (!isAcceptableCause(row.cause)) return <span className="muted">each sell needs a person (see the review queue)</span>;
  if (!canDecide) return <span className="muted">not accepted</span>;
  return <AcceptCauseForm version={version} cause={row.cause} openItems={row.openItems} />;
}

function DecisionHistory({ decisions }: { decisions: CauseDecisionRow[] }) {
  return (
    <details style={{ marginTop: 12 }} data-testid="cause-decisions">
      <summary>Decisions about causes ({decisions.length})</summary>
      <ul>
        {decisions.map((d) => (
          <li key={d.id}>
            <strong>{d.cause.replace(/_/g, " ")}</strong> accepted by {d.decided_by_label} at <DateTime value={d.decided_at} />: “{d.reason}”
            {" "}({d.settled_items} {d.settled_items === 1 ? "item" : "items"} settled)
            {d.undone_at && (
              <>
                ; undone by {d.undone_by_label} at <DateTime value={d.undone_at} />: “{d.undo_reason}”
              </>
            )}
          </li>
        ))}
      </ul>
    </details>
  );
}
