// The review queue: server-side filters, sort and pages in the URL, counts per status and
// severity, pending critical items first by default, bulk actions, dust, CSV export.
import type { Metadata } from "next";
import Link from "next/link";
import { DustPanel } from "@/components/review/DustPanel";
import { QueueTable } from "@/components/review/QueueTable";
import { SeverityBadge } from "@/components/review/badges";
import { getDb } from "@/db/client";
import {
  listReviewItems,
  listReviewers,
  reviewCounts,
  reviewItemRefs,
  reviewSymbols,
  reviewVersions,
} from "@/db/review/queue";
import { filterContext } from "@/db/review/source";
import { requireUser } from "@/lib/auth/guard";
import { roleAtLeast } from "@/lib/auth/roles";
import { formatItemRef } from "@/lib/review/schemas";
import { causeLabel } from "@/lib/review/groups";
import { type ReviewQuery, parseReviewQuery, reviewQueryString } from "@/lib/review/query";
import { ISSUE_TYPES, ISSUE_TYPE_LABELS, REVIEW_STATUSES, SEVERITIES, STATUS_LABELS } from "@/lib/review/workflow";

export const metadata: Metadata = { title: "Review queue" };
export const dynamic = "force-dynamic";

type SearchParams = Record<string, string | string[] | undefined>;

export default async function ReviewQueuePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const user = await requireUser("viewer", { next: `/review${toSearch(params)}` });
  const db = await getDb();
  const versions = await reviewVersions(db);
  const query: ReviewQuery = parseReviewQuery(params);
  query.version ??= versions[0];
  const ctx = await filterContext(db, user.id);
  const canAct = roleAtLeast(user.role, "reviewer");
  const [rows, counts, symbols, reviewers, dustRefs] = await Promise.all([
    listReviewItems(db, query, ctx),
    reviewCounts(db, query, ctx),
    reviewSymbols(db, query.version),
    canAct ? listReviewers(db) : Promise.resolve([]),
    canAct ? reviewItemRefs(db, { version: query.version, symbol: query.symbol, dust: "1", status: "open" }, ctx) : Promise.resolve([]),
  ]);
  const href = (change: Parameters<typeof reviewQueryString>[1]) => `/review${reviewQueryString(query, change)}`;

  return (
    <main className="page page-wide stack" data-testid="review-queue-page">
      <div className="page-header">
        <div>
          <h1>Review queue</h1>
          <p className="muted">
            Problems the runs found{query.version ? ` in version ${query.version}` : ""}. Pending critical items come first.
          </p>
        </div>
        <div className="toolbar">
          <Link className="btn" href={`/review/groups${reviewQueryString(query, { page: null, sort: null, size: null, status: query.status === "all" ? "open" : query.status })}`}>
            Grouped view
          </Link>
        </div>
      </div>

      <section className="card" aria-label="Counts">
        <div className="stats">
          <CountLink label="All" value={Object.values(counts.byStatus).reduce((a, b) => a + b, 0)} href={href({ status: "all" })} active={query.status === "all"} />
          <CountLink label="Open" value={counts.byStatus.pending + counts.byStatus.in_review} href={href({ status: "open" })} active={query.status === "open"} />
          {REVIEW_STATUSES.map((s) => (
            <CountLink key={s} label={STATUS_LABELS[s]} value={counts.byStatus[s]} href={href({ status: s })} active={query.status === s} testId={`count-status-${s}`} />
          ))}
        </div>
        <div className="stats" style={{ marginTop: 12 }}>
          {SEVERITIES.map((s) => (
            <CountLink
              key={s}
              label={s}
              value={counts.bySeverity[s]}
              href={href({ severity: query.severity === s ? null : s })}
              active={query.severity === s}
              testId={`count-severity-${s}`}
            />
          ))}
        </div>
      </section>

      {query.cause || query.month || query.trade ? (
        <p className="muted">
          Also filtered by {query.cause ? `cause “${causeLabel(query.cause)}” ` : ""}
          {query.month ? `month ${query.month} ` : ""}
          {query.trade ? `trade #${query.trade} ` : ""}·{" "}
          <Link href={href({ cause: null, month: null, trade: null })}>clear</Link>
        </p>
      ) : null}

      {canAct ? (
        <DustPanel
          refs={dustRefs.map(formatItemRef)}
          dustNotionalUsd={ctx.dustNotionalUsd}
          symbol={query.symbol}
          showHref={href({ dust: "1", status: "open" })}
        />
      ) : null}

      <QueueTable
        rows={rows}
        sort={{ column: query.sort.column, dir: query.sort.direction }}
        page={query.page}
        size={query.size}
        total={counts.total}
        filters={[
          { id: "version", label: "Version", type: "select", allLabel: "Latest", options: versions.map((v) => ({ value: String(v), label: `Version ${v}` })) },
          { id: "status", label: "Status", type: "select", options: [{ value: "open", label: "Open" }, ...REVIEW_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))] },
          { id: "severity", label: "Severity", type: "select", options: SEVERITIES.map((s) => ({ value: s, label: s })) },
          { id: "type", label: "Type", type: "select", options: ISSUE_TYPES.map((t) => ({ value: t, label: ISSUE_TYPE_LABELS[t] })) },
          { id: "symbol", label: "Symbol", type: "select", options: symbols.map((s) => ({ value: s, label: s })) },
          {
            id: "assignee",
            label: "Assignee",
            type: "select",
            allLabel: "Anyone",
            options: [{ value: "me", label: "Me" }, { value: "none", label: "Nobody" }, ...reviewers.map((r) => ({ value: String(r.id), label: r.email }))],
          },
          { id: "dust", label: "Dust", type: "select", options: [{ value: "1", label: "Only dust" }, { value: "0", label: "No dust" }] },
        ]}
        filterValues={{ ...query, status: query.status === "all" ? undefined : query.status }}
        version={query.version}
        canAct={canAct}
        currentUserId={user.id}
        reviewers={reviewers.map((r) => ({ id: r.id, email: r.email }))}
      />
    </main>
  );
}

function toSearch(params: SearchParams): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (typeof v === "string") q.set(k, v);
  const text = q.toString();
  return text ? `?${text}` : "";
}

function CountLink(props: { label: string; value: number; href: string; active: boolean; testId?: string }) {
  return (
    <Link href={props.href} className="stat" aria-current={props.active ? "true" : undefined} data-testid={props.testId} style={props.active ? { textDecoration: "underline" } : undefined}>
      <span className="stat-value">{props.value}</span>
      <span className="stat-label">{SEVERITIES.includes(props.label as never) ? <SeverityBadge severity={props.label} /> : props.label}</span>
    </Link>
  );
}
