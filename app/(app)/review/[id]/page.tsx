// One review item: what the problem is, the trade and its context, the runs that opened/closed it,
// the workflow forms (reviewers and admins), and the full history.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DustBadge, SeverityBadge, StatusBadge } from "@/components/review/badges";
import { ItemActions } from "@/components/review/ItemActions";
import { AllocationFacts, NearbyTrades, TradeFacts } from "@/components/review/ItemContext";
import { ItemHistory } from "@/components/review/ItemHistory";
import { getDb } from "@/db/client";
import { decisionOfItem } from "@/db/review/cause-decisions";
import { reviewItemContext } from "@/db/review/item";
import { listReviewers } from "@/db/review/queue";
import { filterContext } from "@/db/review/source";
import { requireUser } from "@/lib/auth/guard";
import { roleAtLeast } from "@/lib/auth/roles";
import { causeLabel } from "@/lib/review/groups";
import { defaultManualBuyTime, formatUtcShort } from "@/lib/review/time";
import { ISSUE_TYPE_LABELS, type IssueType, resolutionLabel } from "@/lib/review/workflow";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  return { title: `Review item #${(await params).id}` };
}

export default async function ReviewItemPage({ params }: { params: Promise<{ id: string }> }) {
  const { id: idText } = await params;
  const user = await requireUser("viewer", { next: `/review/${idText}` });
  const id = Number(idText);
  if (!/^\d{1,15}$/.test(idText) || !Number.isSafeInteger(id)) notFound();
  const db = await getDb();
  const context = await reviewItemContext(db, id, await filterContext(db, user.id));
  if (!context) notFound();
  const { item } = context;
  const canAct = roleAtLeast(user.role, "reviewer");
  const [reviewers, decision] = await Promise.all([canAct ? listReviewers(db) : Promise.resolve([]), decisionOfItem(db, item.id)]);

  return (
    <main className="page page-wide stack" data-testid="review-item-page">
      <div className="page-header">
        <div>
          <p className="muted" style={{ margin: 0 }}>
            <Link href={`/review?version=${item.allocation_version}`}>Review queue</Link> / item #{item.id}
          </p>
          <h1>
            {ISSUE_TYPE_LABELS[item.issue_type as IssueType] ?? item.issue_type}: {item.symbol} trade #{item.trade_id}
          </h1>
          <p className="toolbar" style={{ margin: 0 }}>
            <StatusBadge status={item.status} /> <SeverityBadge severity={item.severity} />
            {item.is_dust ? <DustBadge /> : null}
            <span className="muted">
              version {item.allocation_version} · cause: {causeLabel(item.cause)}
              {item.month ? ` · ${item.month}` : ""}
            </span>
          </p>
        </div>
        <Link className="btn" href={`/review?version=${item.allocation_version}&symbol=${encodeURIComponent(item.symbol)}`}>
          All {item.symbol} items
        </Link>
      </div>

      <section className="card" aria-label="The problem" data-testid="item-summary">
        <p style={{ marginTop: 0 }}>{item.reason || "No reason recorded."}</p>
        <dl className="stats">
          {item.unmatched_size !== null ? <Stat label="Unmatched size" value={item.unmatched_size} /> : null}
          {item.notional_usd !== null ? <Stat label="Unmatched notional (USD)" value={item.notional_usd} /> : null}
          {item.old_pnl_usd !== null ? <Stat label="Old PnL (USD)" value={item.old_pnl_usd} /> : null}
          {item.new_pnl_usd !== null ? <Stat label="New PnL (USD)" value={item.new_pnl_usd} /> : null}
          <Stat label="Assigned to" value={item.assignee_email ?? "nobody"} testId="item-assignee" />
          <Stat
            label="Opened by"
            value={item.opened_by_computation_id ? <Link href={`/runs/${item.opened_by_computation_id}`}>run #{item.opened_by_computation_id}</Link> : "—"}
          />
          {item.closed_by_computation_id ? (
            <Stat
              label="Closed by"
              value={<Link href={`/runs/${item.closed_by_computation_id}`}>run #{item.closed_by_computation_id}</Link>}
            />
          ) : null}
          {item.resolution_type ? <Stat label="Resolution" value={resolutionLabel(item.resolution_type)} testId="item-resolution" /> : null}
          {item.resolved_at ? (
            <Stat label="Decided" value={`${formatUtcShort(item.resolved_at)} UTC${item.resolved_by_email ? ` by ${item.resolved_by_email}` : ""}`} />
          ) : null}
        </dl>
        {item.resolution_notes ? <p className="muted">Notes: {item.resolution_notes}</p> : null}
        {decision ? (
          <p className="alert-info" data-testid="settled-by-decision">
            Settled when {decision.decided_by_label} accepted the cause “{causeLabel(decision.cause)}” for version{" "}
            {decision.allocation_version} ({formatUtcShort(decision.decided_at)} UTC): “{decision.reason}”
            {decision.undone_at ? ` — undone by ${decision.undone_by_label ?? "someone"}: “${decision.undo_reason ?? ""}”` : ""}.{" "}
            <Link href={`/discrepancies?version=${decision.allocation_version}&type=pnl_difference&cause=${decision.cause}`}>
              The cause on the Discrepancies page
            </Link>
          </p>
        ) : null}
      </section>

      <TradeFacts context={context} />
      <AllocationFacts context={context} />

      {canAct ? (
        <section aria-label="Work on this item">
          <h2>Work on this item</h2>
          <ItemActions
            itemId={item.id}
            rowVersion={item.row_version}
            status={item.status}
            issueType={item.issue_type}
            assignedTo={item.assigned_to}
            currentUserId={user.id}
            reviewers={reviewers.map((r) => ({ id: r.id, email: r.email }))}
            unmatchedSize={item.unmatched_size}
            sellTime={item.trade_time ? formatUtcShort(item.trade_time) : null}
            defaultBuyTime={defaultManualBuyTime(item.trade_time)}
            defaultBuyPrice=""
            isDust={item.is_dust}
            liveManualTradeId={context.manualTrade?.source === "manual" ? context.manualTrade.id : null}
          />
        </section>
      ) : (
        <p className="alert-info">You can read this item; working the queue needs the reviewer role.</p>
      )}

      <NearbyTrades trades={context.nearby} current={item.trade_id} />
      <ItemHistory history={context.history} />
    </main>
  );
}

function Stat({ label, value, testId }: { label: string; value: React.ReactNode; testId?: string }) {
  return (
    <div className="stat">
      <dt className="stat-label">{label}</dt>
      <dd style={{ margin: 0 }} data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}
