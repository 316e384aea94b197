// The facts beside a review item: its trade, the old system's match, what the FIFO run made of the
// trade (lots used, unmatched part, or sells that used a buy), and the symbol's trades around it.
import Link from "next/link";
import type { LotRow, ReviewItemContext, TradeRow } from "@/db/review/item";
import { formatUtcShort } from "@/lib/review/time";

const tradeLink = (id: number | null) => (id === null ? "—" : <Link href={`/trades/${id}`}>#{id}</Link>);
const num = (value: string | null | undefined) => value ?? "—";
const signClass = (value: string | null | undefined) => (value?.startsWith("-") ? "num neg" : "num");

export function TradeFacts({ context }: { context: ReviewItemContext }) {
  const { trade, snapshot, oldParent, newPnlUsd, manualTrade } = context;
  if (!trade) return <p className="alert-error">Trade #{context.item.trade_id} is no longer in trade_records.</p>;
  return (
    <section className="card" aria-label="Trade" data-testid="trade-facts">
      <h2>
        Trade {tradeLink(trade.id)}: {trade.side} {trade.size} {trade.symbol} at {trade.price}
      </h2>
      <dl className="stats">
        <Fact label="Time (UTC)" value={formatUtcShort(trade.order_time)} />
        <Fact label="Fee (USD)" value={trade.fee_usd} />
        <Fact label="Status" value={trade.status} />
        <Fact label="Source" value={trade.source} />
        <Fact label="Old parent_id" value={tradeLink(trade.parent_id)} />
        <Fact label="Old pnl_usd" value={num(trade.pnl_usd)} />
        <Fact label="Snapshot parent_id" value={snapshot ? tradeLink(snapshot.parent_id) : "not in snapshot"} />
        <Fact label="Snapshot pnl_usd" value={snapshot ? num(snapshot.pnl_usd) : "—"} />
        <Fact label={`FIFO PnL (v${context.item.allocation_version})`} value={num(newPnlUsd)} testId="new-pnl" />
      </dl>
      {oldParent ? (
        <p className="muted">
          The old system matched this sell to buy {tradeLink(oldParent.id)} ({oldParent.side} {oldParent.size} at{" "}
          {oldParent.price}, {formatUtcShort(oldParent.order_time)}).
        </p>
      ) : null}
      {manualTrade ? (
        <p className="alert-info" data-testid="manual-trade">
          Manual buy recorded for this item: {tradeLink(manualTrade.id)}: {manualTrade.size} at {manualTrade.price}, fee{" "}
          {manualTrade.fee_usd}, {formatUtcShort(manualTrade.order_time)} UTC.
        </p>
      ) : null}
    </section>
  );
}

function Fact({ label, value, testId }: { label: string; value: React.ReactNode; testId?: string }) {
  return (
    <div className="stat">
      <dt className="stat-label">{label}</dt>
      <dd style={{ margin: 0 }} data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

export function AllocationFacts({ context }: { context: ReviewItemContext }) {
  const { item, allocations, unmatched } = context;
  const asSell = allocations.filter((a) => a.sell_trade_id === item.trade_id);
  const asBuy = allocations.filter((a) => a.buy_trade_id === item.trade_id);
  return (
    <section className="card" aria-label="FIFO allocations" data-testid="allocation-facts">
      <h2>FIFO result (version {item.allocation_version})</h2>
      {unmatched ? (
        <p className="alert-error" data-testid="unmatched-part">
          Unmatched: {unmatched.unmatched_size} of {unmatched.sell_size} (matched {unmatched.matched_size}) had no open lot
          before this sell (run <Link href={`/runs/${unmatched.computation_id}`}>#{unmatched.computation_id}</Link>).
        </p>
      ) : context.trade?.side === "sell" ? (
        <p className="alert-success" data-testid="fully-matched">
          No unmatched part: the sell is fully matched in this version.
        </p>
      ) : null}
      {asSell.length > 0 ? <LotTable title="Lots this sell used" rows={asSell} other="buy" /> : null}
      {asBuy.length > 0 ? <LotTable title="Sells that used this buy" rows={asBuy} other="sell" /> : null}
      {asSell.length === 0 && asBuy.length === 0 ? <p className="muted">No allocations for this trade.</p> : null}
    </section>
  );
}

function LotTable({ title, rows, other }: { title: string; rows: LotRow[]; other: "buy" | "sell" }) {
  return (
    <>
      <h3>{title}</h3>
      <div className="table-wrap">
        <table className="table" data-testid={other === "buy" ? "lots-table" : "consumers-table"}>
          <thead>
            <tr>
              <th className="num">{other === "buy" ? "Buy" : "Sell"}</th>
              <th>{other === "buy" ? "Buy time" : "Sell time"}</th>
              <th className="num">Size</th>
              <th className="num">Buy price</th>
              <th className="num">Sell price</th>
              <th className="num">Fees</th>
              <th className="num">PnL (USD)</th>
              <th className="num">Run</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((a) => (
              <tr key={`${a.sell_trade_id}-${a.buy_trade_id}`}>
                <td className="num">
                  {tradeLink(other === "buy" ? a.buy_trade_id : a.sell_trade_id)}
                  {other === "buy" && a.buy_source === "manual" ? <span className="badge">manual</span> : null}
                </td>
                <td>{formatUtcShort(other === "buy" ? a.buy_time : a.sell_time)}</td>
                <td className="num">{a.allocated_size}</td>
                <td className="num">{a.buy_price}</td>
                <td className="num">{a.sell_price}</td>
                <td className="num">
                  {a.buy_fee_usd} + {a.sell_fee_usd}
                </td>
                <td className={signClass(a.pnl_usd)}>{a.pnl_usd}</td>
                <td className="num">
                  <Link href={`/runs/${a.computation_id}`}>#{a.computation_id}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function NearbyTrades({ trades, current }: { trades: TradeRow[]; current: number }) {
  return (
    <section className="card" aria-label="Trades around it" data-testid="nearby-trades">
      <h2>Trades of this symbol around it</h2>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th className="num">Trade</th>
              <th>Time (UTC)</th>
              <th>Side</th>
              <th className="num">Size</th>
              <th className="num">Price</th>
              <th>Status</th>
              <th>Source</th>
              <th className="num">Old parent</th>
              <th className="num">Old PnL</th>
            </tr>
          </thead>
          <tbody>
            {trades.map((t) => (
              <tr key={t.id} aria-current={t.id === current ? "true" : undefined} style={t.id === current ? { fontWeight: 650 } : undefined}>
                <td className="num">{tradeLink(t.id)}</td>
                <td>{formatUtcShort(t.order_time)}</td>
                <td>{t.side}</td>
                <td className="num">{t.size}</td>
                <td className="num">{t.price}</td>
                <td>{t.status}</td>
                <td>{t.source}</td>
                <td className="num">{tradeLink(t.parent_id)}</td>
                <td className={signClass(t.pnl_usd)}>{num(t.pnl_usd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
