// The queue folded into groups (symbol, issue type, cause, month of the trade) with totals, so a
// reviewer sees "42 unmatched DOGE-USD sells in 2025-03 (dust), 0.3 DOGE total" instead of 42
// rows, opens the group's items, or acts on all its open items at once.
import type { Metadata } from "next";
import Link from "next/link";
import { GroupActions } from "@/components/review/GroupActions";
import { SeverityBadge } from "@/components/review/badges";
import { getDb } from "@/db/client";
import { listReviewGroups } from "@/db/review/groups";
import { listReviewers, reviewVersions } from "@/db/review/queue";
import { filterContext } from "@/db/review/source";
import { requireUser } from "@/lib/auth/guard";
import { roleAtLeast } from "@/lib/auth/roles";
import { groupLabel } from "@/lib/review/groups";
import { parseReviewQuery, reviewQueryString } from "@/lib/review/query";
import { ISSUE_TYPES, ISSUE_TYPE_LABELS } from "@/lib/review/workflow";
import { formatUtcShort } from "@/lib/review/time";

export const metadata: Metadata = { title: "Review groups" };
export const dynamic = "force-dynamic";

/** Groups per page: a version can fold into thousands of groups; the page shows them in pages. */
const GROUPS_PER_PAGE = 50;

export default async function ReviewGroupsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const user = await requireUser("viewer", { next: "/review/groups" });
  const db = await getDb();
  const versions = await reviewVersions(db);
  const query = parseReviewQuery({ status: "open", ...params });
  query.version ??= versions[0];
  const ctx = await filterContext(db, user.id);
  const canAct = roleAtLeast(user.role, "reviewer");
  const [fetched, reviewers] = await Promise.all([
    listReviewGroups(db, query, ctx, { limit: GROUPS_PER_PAGE + 1, offset: (query.page - 1) * GROUPS_PER_PAGE }),
    canAct ? listReviewers(db) : Promise.resolve([]),
  ]);
  const groups = fetched.slice(0, GROUPS_PER_PAGE);
  const hasMore = fetched.length > GROUPS_PER_PAGE;
  const pageHref = (page: number) => {
    const params = new URLSearchParams(reviewQueryString(query, { page }));
    if (query.status === "all") params.set("status", "all"); // the groups page's default is "open"
    const text = params.toString();
    return `/review/groups${text ? `?${text}` : ""}`;
  };

  return (
    <main className="page page-wide stack" data-testid="review-groups-page">
      <div className="page-header">
        <div>
          <h1>Review groups</h1>
          <p className="muted">
            Similar items together: same symbol, issue, cause and month. Dust: unmatched remainders worth less than{" "}
            {ctx.dustNotionalUsd} USD (fifo_settings.dust_notional_usd).
          </p>
        </div>
        <Link className="btn" href={`/review${reviewQueryString(query, { page: null })}`}>
          Item list
        </Link>
      </div>
      <form method="get" action="/review/groups" className="toolbar" aria-label="Filters">
        <div className="field">
          <label htmlFor="g-version">Version</label>
          <select id="g-version" name="version" defaultValue={String(query.version ?? "")}>
            {versions.map((v) => (
              <option key={v} value={v}>
                Version {v}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="g-status">Items</label>
          <select id="g-status" name="status" defaultValue={query.status}>
            <option value="open">Open</option>
            <option value="pending">Pending</option>
            <option value="all">All</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="g-type">Type</label>
          <select id="g-type" name="type" defaultValue={query.type ?? ""}>
            <option value="">Any</option>
            {ISSUE_TYPES.map((t) => (
              <option key={t} value={t}>
                {ISSUE_TYPE_LABELS[t]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="g-symbol">Symbol</label>
          <input id="g-symbol" name="symbol" defaultValue={query.symbol ?? ""} placeholder="e.g. DOGE-USD" />
        </div>
        <div className="field">
          <button type="submit" className="btn btn-primary">
            Show
          </button>
        </div>
      </form>
      <div className="table-wrap">
        <table className="table" data-testid="review-groups-table">
          <thead>
            <tr>
              <th>Group</th>
              <th>Severity</th>
              <th className="num">Items</th>
              <th className="num">Open</th>
              <th className="num">Unmatched size</th>
              <th className="num">USD</th>
              <th>Trades between (UTC)</th>
              <th>Act</th>
            </tr>
          </thead>
          <tbody>
            {groups.length === 0 ? (
              <tr>
                <td colSpan={8} className="empty">
                  No items match.
                </td>
              </tr>
            ) : null}
            {groups.map((g, index) => {
              const itemsHref = `/review${reviewQueryString(
                { ...query, sort: { column: "priority", direction: "asc" }, page: 1 },
                { version: g.allocation_version, symbol: g.symbol, type: g.issue_type, cause: g.cause, month: g.month },
              )}`;
              return (
                <tr key={`${g.symbol}|${g.issue_type}|${g.cause}|${g.month}`} data-testid="group-row" data-cause={g.cause}>
                  <td>
                    <Link href={itemsHref}>
                      {groupLabel({
                        symbol: g.symbol,
                        issueType: g.issue_type,
                        cause: g.cause,
                        month: g.month,
                        items: g.items,
                        unmatchedSize: g.unmatched_size,
                        amountUsd: g.amount_usd,
                      })}
                    </Link>
                  </td>
                  <td>
                    <SeverityBadge severity={g.severity} />
                  </td>
                  <td className="num">{g.items}</td>
                  <td className="num">{g.open_items}</td>
                  <td className="num">{g.unmatched_size ?? ""}</td>
                  <td className="num">{g.amount_usd ?? ""}</td>
                  <td>
                    {formatUtcShort(g.first_trade_time)} – {formatUtcShort(g.last_trade_time)}
                  </td>
                  <td>
                    {canAct ? (
                      <GroupActions
                        group={{
                          version: g.allocation_version,
                          symbol: g.symbol,
                          type: g.issue_type,
                          cause: g.cause,
                          month: g.month,
                          asOf: g.open_as_of,
                          openItems: g.open_items,
                        }}
                        reviewers={reviewers.map((r) => ({ id: r.id, email: r.email }))}
                        currentUserId={user.id}
                        testId={`group-${index}`}
                      />
                    ) : (
                      <span className="muted">reviewers only</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {query.page > 1 || hasMore ? (
        <nav className="toolbar" aria-label="Pages" data-testid="review-groups-pages">
          {query.page > 1 ? (
            <Link className="btn btn-small" href={pageHref(query.page - 1)}>
              ← Previous
            </Link>
          ) : null}
          <span className="muted">
            Groups {(query.page - 1) * GROUPS_PER_PAGE + (groups.length ? 1 : 0)}–{(query.page - 1) * GROUPS_PER_PAGE + groups.length}
          </span>
          {hasMore ? (
            <Link className="btn btn-small" href={pageHref(query.page + 1)}>
              Next →
            </Link>
          ) : null}
        </nav>
      ) : null}
    </main>
  );
}
