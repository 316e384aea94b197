"use client";
// The queue table: the shared server-driven DataTable (filters, sort, page and CSV export in the
// URL; SQL does the work) with review cells and row selection for bulk actions.
import Link from "next/link";
import { useMemo, useState } from "react";
import { type ColumnSpec, DataTable, type FilterSpec, type Row } from "@/components/data-table";
import { Money } from "@/components/format";
import type { ReviewItemRow } from "@/db/review/queue";
import { causeLabel } from "@/lib/review/groups";
import { ISSUE_TYPE_LABELS, type IssueType } from "@/lib/review/workflow";
import { DustBadge, SeverityBadge, StatusBadge } from "./badges";
import { BulkActionForm } from "./BulkActionForm";

export interface QueueTableProps {
  rows: ReviewItemRow[];
  sort: { column: string; dir: "asc" | "desc" };
  page: number;
  size: number;
  total: number;
  filters: FilterSpec[];
  filterValues: Record<string, unknown>;
  version: number | undefined;
  canAct: boolean;
  currentUserId: number;
  reviewers: { id: number; email: string }[];
}

const COLUMNS: ColumnSpec[] = [
  { id: "id", header: "Item", kind: "number", sortKey: "id" },
  { id: "severity", header: "Severity", sortKey: "severity" },
  { id: "status", header: "Status", sortKey: "status" },
  { id: "issue_type", header: "Issue", sortKey: "type" },
  { id: "symbol", header: "Symbol", sortKey: "symbol" },
  { id: "trade_id", header: "Trade", kind: "trade" },
  { id: "trade_time", header: "Trade time", kind: "datetime", sortKey: "trade_time" },
  { id: "unmatched_size", header: "Unmatched", kind: "size", sortKey: "unmatched" },
  { id: "notional_usd", header: "Notional (USD)", kind: "usd", sortKey: "notional" },
  { id: "pnl", header: "Old → new PnL" },
  { id: "assignee_email", header: "Assignee" },
  { id: "runs", header: "Run" },
];

export function QueueTable(props: QueueTableProps) {
  const { rows, canAct } = props;
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const refs = useMemo(
    () => rows.filter((r) => selected.has(r.id)).map((r) => `${r.id}:${r.row_version}`),
    [rows, selected],
  );
  const toggle = (id: number) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const columns = canAct ? [{ id: "select", header: "✓", title: "Select for a bulk action" }, ...COLUMNS] : COLUMNS;

  const renderCell = (column: ColumnSpec, row: Row) => {
    const r = row as unknown as ReviewItemRow;
    switch (column.id) {
      case "select":
        return <input type="checkbox" aria-label={`Select item ${r.id}`} checked={selected.has(r.id)} onChange={() => toggle(r.id)} />;
      case "id":
        return (
          <Link href={`/review/${r.id}`} data-testid="item-link" data-severity={r.severity} data-status={r.status}>
            #{r.id}
          </Link>
        );
      case "severity":
        return (
          <>
            <SeverityBadge severity={r.severity} /> {r.is_dust ? <DustBadge /> : null}
          </>
        );
      case "status":
        return <StatusBadge status={r.status} />;
      case "issue_type":
        return (
          <span title={r.reason}>
            {ISSUE_TYPE_LABELS[r.issue_type as IssueType] ?? r.issue_type}
            <span className="muted"> · {causeLabel(r.cause)}</span>
          </span>
        );
      case "pnl":
        return r.old_pnl_usd === null ? (
          <span className="muted">—</span>
        ) : (
          <>
            <Money value={r.old_pnl_usd} /> → <Money value={r.new_pnl_usd} />
          </>
        );
      case "assignee_email":
        return r.assignee_email ?? <span className="muted">—</span>;
      case "runs":
        return (
          <>
            {r.opened_by_computation_id ? <Link href={`/runs/${r.opened_by_computation_id}`}>#{r.opened_by_computation_id}</Link> : "—"}
            {r.closed_by_computation_id ? (
              <>
                {" "}
                / closed by <Link href={`/runs/${r.closed_by_computation_id}`}>#{r.closed_by_computation_id}</Link>
              </>
            ) : null}
          </>
        );
      default:
        return undefined;
    }
  };

  return (
    <div className="stack">
      {canAct ? (
        <div className="card" aria-label="Bulk actions">
          <div className="toolbar">
            <button type="button" className="btn btn-small" onClick={() => setSelected(new Set(rows.map((r) => r.id)))}>
              Select all on this page
            </button>
            <button type="button" className="btn btn-small" disabled={selected.size === 0} onClick={() => setSelected(new Set())}>
              Clear selection
            </button>
          </div>
          <BulkActionForm refs={refs} reviewers={props.reviewers} currentUserId={props.currentUserId} onDone={() => setSelected(new Set())} />
        </div>
      ) : null}
      <DataTable
        rows={rows as unknown as Row[]}
        rowKey="id"
        columns={columns}
        renderCell={renderCell}
        sort={props.sort}
        page={props.page}
        size={props.size}
        hasMore={props.page * props.size < props.total}
        cursors={rows.length ? { next: String(rows[rows.length - 1]!.id), previous: String(rows[0]!.id) } : undefined}
        total={{ count: props.total, exact: true }}
        filters={props.filters}
        filterValues={props.filterValues}
        exportHref="/review/export"
        exportParams={props.version ? { version: String(props.version) } : undefined}
        version={props.version}
        emptyMessage="No review items match these filters."
        testId="review-queue-table"
      />
    </div>
  );
}
