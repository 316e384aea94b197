import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DateTime } from "@/components/format/date-time";
import { Money } from "@/components/format/money";
import { Price, Size } from "@/components/format/size";
import { TradeLink } from "@/components/format/trade-link";
import { getDb } from "@/db/client";
import { tradePageData } from "@/db/queries/dashboard-pages";
import type { BuyDetail, SellDetail, TradeDetail } from "@/db/queries/trade-detail";
import { requireUser } from "@/lib/auth/guard";
import { CAUSE_EXPLANATIONS, type DiscrepancyCause } from "@/lib/compute/discrepancy-causes";
import type { SearchParams } from "@/lib/table/url-state";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  return { title: `Trade #${(await params).id} · FIFO Allocations` };
}

export default async function TradePage(props: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  await requireUser("viewer");
  const { id } = await props.params;
  const tradeId = Number(id);
  if (!/^\d{1,15}$/.test(id) || !Number.isSafeInteger(tradeId)) notFound();
  const db = await getDb();
  const { version, currentVersion, versions, detail, cause } = await tradePageData(db, tradeId, await props.searchParams);
  if (!detail) notFound();
  const { trade } = detail;
  return (
    <main className="page page-wide">
      <div className="page-header">
        <div>
          <h1 data-testid="trade-title">
            Trade #{trade.id}: {trade.side} {trade.symbol}
          </h1>
          <p className="muted">
            <Size value={trade.size} /> at <Price value={trade.price} /> USD, fee <Money value={trade.feeUsd} signed={false} decimals={4} /> USD,
            filled <DateTime value={trade.orderTime} /> · status {trade.status} · source {trade.source}
          </p>
        </div>
        <nav className="toolbar" aria-label="Version">
          {versions
            .filter((v) => v.hasData)
            .map((v) => (
              <Link
                key={v.version}
                href={`/trades/${trade.id}?version=${v.version}`}
                className={`btn btn-small ${v.version === version ? "btn-primary" : ""}`}
                aria-current={v.version === version ? "page" : undefined}
              >
                v{v.version}
                {v.version === currentVersion ? " (current)" : ""}
              </Link>
            ))}
        </nav>
      </div>
      {detail.detail?.kind === "sell" && <SellView detail={detail} sell={detail.detail} version={version} cause={cause} />}
      {detail.detail?.kind === "buy" && <BuyView detail={detail} buy={detail.detail} version={version} />}
      {!detail.detail && <p className="alert-info">This trade has side “{trade.side}”: it is neither a buy nor a sell, so no run uses it.</p>}
      <VersionsAndReviews detail={detail} />
    </main>
  );
}

type SellCause = { cause: string; differenceUsd: string } | null;

function SellView({ detail, sell, version, cause }: { detail: TradeDetail; sell: SellDetail; version: number; cause: SellCause }) {
  const { trade } = detail;
  const oldParentInLots = sell.lots.some((l) => l.isOldParent);
  return (
    <>
      <section className="cards" aria-label="Old and new result">
        <div className="card">
          <h2>Old system</h2>
          <dl className="stats">
            <div className="stat"><dt className="stat-label">Parent (buy)</dt><dd className="stat-value"><TradeLink id={trade.oldParentId} version={version} /></dd></div>
            <div className="stat"><dt className="stat-label">pnl_usd</dt><dd className="stat-value" data-testid="old-pnl"><Money value={trade.oldPnlUsd} /></dd></div>
          </dl>
          {trade.snapshot && (
            <p className="muted" style={{ fontSize: 13 }}>
              In the historical snapshot (<DateTime value={trade.snapshot.takenAt} dateOnly />): parent{" "}
              <TradeLink id={trade.snapshot.parentId} version={version} />, pnl_usd <Money value={trade.snapshot.pnlUsd} />.
            </p>
          )}
        </div>
        <div className="card">
          <h2>Version {version} (FIFO)</h2>
          <dl className="stats">
            <div className="stat"><dt className="stat-label">Lots</dt><dd className="stat-value">{sell.lots.length}</dd></div>
            <div className="stat"><dt className="stat-label">Matched</dt><dd className="stat-value"><Size value={sell.matchedSize} /></dd></div>
            <div className="stat"><dt className="stat-label">PnL (USD)</dt><dd className="stat-value" data-testid="new-pnl"><Money value={sell.newPnlUsd} /></dd></div>
            <div className="stat"><dt className="stat-label">New − old</dt><dd className="stat-value"><Money value={sell.differenceUsd} /></dd></div>
          </dl>
        </div>
      </section>
      {cause && (
        <p className="alert-info" data-testid="difference-cause">
          Cause of the difference: <strong>{cause.cause.replace(/_/g, " ")}</strong>:{" "}
          {CAUSE_EXPLANATIONS[cause.cause as DiscrepancyCause] ?? cause.cause}.{" "}
          <Link href={`/discrepancies?version=${version}&type=pnl_difference&cause=${cause.cause}`}>All sells of this cause</Link>
        </p>
      )}
      {!cause && trade.oldParentId !== null && !oldParentInLots && sell.lots.length > 0 && (
        <p className="alert-info">
          Why the PnL differs: the old system matched this sell to buy <TradeLink id={trade.oldParentId} version={version} />, but
          FIFO consumes the oldest open lots first, listed below.
        </p>
      )}
      <section className="card" style={{ marginTop: 16 }}>
        <h2>Lots consumed</h2>
        <div className="table-wrap">
          <table className="table" data-testid="lots-table">
            <thead>
              <tr>
                <th>Buy (lot)</th><th>Bought at</th><th className="num">Buy size</th><th className="num">Allocated</th>
                <th className="num">Buy price (USD)</th><th className="num">Sell price (USD)</th>
                <th className="num">Buy fee share (USD)</th><th className="num">Sell fee share (USD)</th><th className="num">PnL (USD)</th>
              </tr>
            </thead>
            <tbody>
              {sell.lots.map((l) => (
                <tr key={l.buyTradeId}>
                  <td>
                    <TradeLink id={l.buyTradeId} version={version} />
                    {l.isOldParent && <span className="badge badge-low" style={{ marginLeft: 6 }}>old parent</span>}
                  </td>
                  <td><DateTime value={l.buyTime} /></td>
                  <td className="num"><Size value={l.buySize} /></td>
                  <td className="num"><Size value={l.allocatedSize} /></td>
                  <td className="num"><Price value={l.buyPrice} /></td>
                  <td className="num"><Price value={l.sellPrice} /></td>
                  <td className="num"><Money value={l.buyFeeUsd} signed={false} decimals={6} /></td>
                  <td className="num"><Money value={l.sellFeeUsd} signed={false} decimals={6} /></td>
                  <td className="num"><Money value={l.pnlUsd} /></td>
                </tr>
              ))}
              {sell.lots.length === 0 && (
                <tr><td colSpan={9} className="empty">No lot was open when this sell filled.</td></tr>
              )}
            </tbody>
          </table>
        </div>
        {sell.unmatched && (
          <p className="alert-error" data-testid="unmatched-part">
            Unmatched: <Size value={sell.unmatched.unmatchedSize} /> of <Size value={trade.size} /> had no open lot (notional{" "}
            <Money value={sell.unmatched.notionalUsd} signed={false} /> USD). It has no cost basis until a reviewer records one.
          </p>
        )}
        <p className="muted" style={{ fontSize: 13 }}>
          PnL per lot = allocated × (sell price − buy price) − buy fee share − sell fee share. <Link href={`/allocations?version=${version}&trade=${trade.id}`}>These rows in Allocations</Link>.
        </p>
      </section>
    </>
  );
}

function BuyView({ detail, buy, version }: { detail: TradeDetail; buy: BuyDetail; version: number }) {
  const { trade } = detail;
  return (
    <>
      <section className="cards">
        <div className="card">
          <h2>Version {version} (FIFO)</h2>
          <dl className="stats">
            <div className="stat"><dt className="stat-label">Size</dt><dd className="stat-value"><Size value={trade.size} /></dd></div>
            <div className="stat"><dt className="stat-label">Consumed</dt><dd className="stat-value"><Size value={buy.consumedSize} /></dd></div>
            <div className="stat"><dt className="stat-label">Still open</dt><dd className="stat-value" data-testid="remaining"><Size value={buy.remainingSize} /></dd></div>
            <div className="stat"><dt className="stat-label">PnL realized on it (USD)</dt><dd className="stat-value"><Money value={buy.realizedPnlUsd} /></dd></div>
          </dl>
        </div>
        <div className="card">
          <h2>Old system</h2>
          <dl className="stats">
            <div className="stat"><dt className="stat-label">remaining_size</dt><dd className="stat-value"><Size value={trade.oldRemainingSize} /></dd></div>
            <div className="stat"><dt className="stat-label">Sells pointing here</dt><dd className="stat-value">{buy.oldChildren.length}</dd></div>
          </dl>
          {buy.oldChildren.length > 0 && (
            <p className="muted" style={{ fontSize: 13 }}>
              {buy.oldChildren.slice(0, 30).map((c, i) => (
                <span key={c.id}>{i > 0 && ", "}<TradeLink id={c.id} version={version} /></span>
              ))}
              {buy.oldChildren.length > 30 && " …"}
            </p>
          )}
        </div>
      </section>
      <section className="card" style={{ marginTop: 16 }}>
        <h2>Sells that consumed this lot</h2>
        <div className="table-wrap">
          <table className="table" data-testid="consumers-table">
            <thead>
              <tr>
                <th>Sell</th><th>Sold at</th><th className="num">Sell size</th><th className="num">Allocated</th>
                <th className="num">Buy price (USD)</th><th className="num">Sell price (USD)</th>
                <th className="num">Buy fee share (USD)</th><th className="num">Sell fee share (USD)</th><th className="num">PnL (USD)</th>
              </tr>
            </thead>
            <tbody>
              {buy.consumers.map((c) => (
                <tr key={c.sellTradeId}>
                  <td><TradeLink id={c.sellTradeId} version={version} /></td>
                  <td><DateTime value={c.sellTime} /></td>
                  <td className="num"><Size value={c.sellSize} /></td>
                  <td className="num"><Size value={c.allocatedSize} /></td>
                  <td className="num"><Price value={c.buyPrice} /></td>
                  <td className="num"><Price value={c.sellPrice} /></td>
                  <td className="num"><Money value={c.buyFeeUsd} signed={false} decimals={6} /></td>
                  <td className="num"><Money value={c.sellFeeUsd} signed={false} decimals={6} /></td>
                  <td className="num"><Money value={c.pnlUsd} /></td>
                </tr>
              ))}
              {buy.consumers.length === 0 && (
                <tr><td colSpan={9} className="empty">No sell has consumed this lot yet: it is fully open.</td></tr>
              )}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

function VersionsAndReviews({ detail }: { detail: TradeDetail }) {
  const isSell = detail.trade.side === "sell";
  return (
    <section className="cards" style={{ marginTop: 16 }}>
      {detail.byVersion.length > 0 && (
        <div className="card">
          <h2>In every version</h2>
          <table className="table">
            <thead>
              <tr>
                <th>Version</th><th className="num">Lots</th><th className="num">{isSell ? "Matched" : "Consumed"}</th>
                {isSell && <th className="num">Unmatched</th>}{isSell && <th className="num">PnL (USD)</th>}
              </tr>
            </thead>
            <tbody>
              {detail.byVersion.map((v) => (
                <tr key={v.version}>
                  <td><Link href={`/trades/${detail.trade.id}?version=${v.version}`}>v{v.version}</Link></td>
                  <td className="num">{v.lots}</td>
                  <td className="num"><Size value={v.allocatedSize} /></td>
                  {isSell && <td className="num"><Size value={v.unmatchedSize} /></td>}
                  {isSell && <td className="num"><Money value={v.pnlUsd} /></td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="card">
        <h2>Review items</h2>
        {detail.reviewItems.length === 0 ? (
          <p className="muted">None for this trade.</p>
        ) : (
          <ul>
            {detail.reviewItems.map((r) => (
              <li key={r.id}>
                <Link href={`/review/${r.id}`}>#{r.id}</Link> v{r.version} {r.issueType.replace(/_/g, " ")}{" "}
                <span className={`badge badge-${r.severity}`}>{r.severity}</span> <span className="badge">{r.status.replace(/_/g, " ")}</span>{" "}
                <span className="muted">{r.reason}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
