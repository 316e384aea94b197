"use client";
/**
 * DataTable: a server-driven table on @tanstack/react-table. The server sorts, filters and pages;
 * this component only shows one page and edits the URL (so state is shareable and Back works).
 *
 * Usage (in a Server Component page, after requireUser() and loading the page's rows):
 *
 *   const state = myTable.parse(await searchParams);      // lib/table/url-state defineTable()
 *   const page = await fetchPage(db, mySource, state);     // db/queries/table-source
 *   <DataTable
 *     rows={page.rows}                                     // plain serializable objects
 *     rowKey={["sellTradeId", "buyTradeId"]}               // field(s) that identify a row
 *     columns={[
 *       { id: "sellTradeId", header: "Sell", kind: "trade", sortKey: "sell_trade_id" },
 *       { id: "pnlUsd", header: "PnL (USD)", kind: "money", sortKey: "pnl_usd" },
 *       { id: "severity", header: "Severity", kind: "badge" },
 *     ]}
 *     sort={state.sort} page={page.page} size={page.size} hasMore={page.hasMore} total={page.total}
 *     filters={[
 *       { id: "symbol", label: "Symbol", type: "select", options: symbols.map((s) => ({ value: s, label: s })) },
 *       { id: "from", label: "From (UTC)", type: "date" }, { id: "to", label: "To (UTC)", type: "date" },
 *     ]}
 *     filterValues={state.filters}                          // current values (after parsing)
 *     exportHref="/export/allocations"                      // gets the current filters + sort appended
 *     exportParams={{ version: String(version) }}           // pinned into the export link
 *   />
 *
 * URL keys: `sort=<sortKey>.<asc|desc>`, `page`, `size`, and one key per filter id. Changing a
 * sort, filter or page size goes back to page 1. Cell kinds: text, number (counts), money (signed,
 * coloured USD), usd (unsigned USD), size, price, datetime, trade (TradeLink), badge (value ->
 * `.badge-<value>`, or `badgeTone` map), link (`href` template with {field} placeholders).
 * Custom cells: wrap DataTable in your own client component and pass `renderCell`.
 */
import {
  createColumnHelper,
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type SortingState,
} from "@tanstack/react-table";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useState, useTransition, type ReactNode } from "react";
import { DateTime } from "@/components/format/date-time";
import { Money } from "@/components/format/money";
import { Price, Size } from "@/components/format/size";
import { TradeLink } from "@/components/format/trade-link";
import { formatCount } from "@/lib/format/decimal";
import { FilterBar, type FilterSpec } from "./filter-bar";
import styles from "./data-table.module.css";

export type { FilterSpec } from "./filter-bar";

export type CellKind = "text" | "number" | "money" | "usd" | "size" | "price" | "datetime" | "trade" | "badge" | "link";

export interface ColumnSpec {
  /** Field of the row object. */
  id: string;
  header: string;
  kind?: CellKind;
  /** URL sort column; the column is sortable when set. */
  sortKey?: string;
  decimals?: number;
  /** kind "link": e.g. "/review?item={reviewItemId}". */
  href?: string;
  /** kind "badge": value -> badge tone (low, medium, high, critical, ok, warn). */
  badgeTone?: Record<string, string>;
  /** Tooltip on the header (units, definitions). */
  title?: string;
  /** Let long text wrap (cells do not wrap by default). */
  wrap?: boolean;
}

export type Row = Record<string, unknown>;

export interface DataTableProps {
  rows: Row[];
  columns: ColumnSpec[];
  rowKey: string | string[];
  sort: { column: string; dir: "asc" | "desc" };
  page: number;
  size: number;
  hasMore: boolean;
  total: { count: number; exact: boolean };
  pageSizes?: readonly number[];
  filters?: FilterSpec[];
  filterValues?: Record<string, unknown>;
  exportHref?: string;
  exportParams?: Record<string, string>;
  /** Trade links carry this version (the trade page then shows the same version). */
  version?: number;
  emptyMessage?: string;
  caption?: string;
  renderCell?: (column: ColumnSpec, row: Row) => ReactNode | undefined;
  testId?: string;
  /**
   * Keyset paging: Next sends `after=<next>`, Previous `before=<previous>` (row keys of this page's
   * last and first rows) along with the page number, so the server seeks instead of OFFSET.
   */
  cursors?: { next: string; previous: string };
}

const NUMERIC: ReadonlySet<CellKind> = new Set(["number", "money", "usd", "size", "price", "trade"]);

export function DataTable(props: DataTableProps) {
  const { rows, columns, sort, page, size, total, hasMore } = props;
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [pending, startTransition] = useTransition();
  // Marks the table interactive (hydrated): browser tests wait for it before clicking.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);

  const navigate = (changes: Record<string, string | undefined>, resetPage = true) => {
    const next = new URLSearchParams(searchParams.toString());
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined || value === "") next.delete(key);
      else next.set(key, value);
    }
    if (resetPage && !("page" in changes)) next.delete("page");
    // A cursor belongs to one page of one order and filter.
    for (const key of ["after", "before"]) if (!(key in changes)) next.delete(key);
    const query = next.toString();
    startTransition(() => router.push(query ? `${pathname}?${query}` : pathname, { scroll: false }));
  };

  const sortColumn = columns.find((c) => c.sortKey === sort.column);
  const sorting: SortingState = sortColumn ? [{ id: sortColumn.id, desc: sort.dir === "desc" }] : [];

  const columnDefs = useMemo<ColumnDef<Row, unknown>[]>(() => {
    const helper = createColumnHelper<Row>();
    return columns.map((spec) =>
      helper.accessor((row) => row[spec.id], {
        id: spec.id,
        header: spec.header,
        enableSorting: Boolean(spec.sortKey),
        cell: (info) => props.renderCell?.(spec, info.row.original) ?? renderCell(spec, info.row.original, props.version),
      }),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [columns, props.renderCell, props.version]);

  const keyOf = (row: Row) =>
    (Array.isArray(props.rowKey) ? props.rowKey : [props.rowKey]).map((k) => String(row[k])).join(":");

  const table = useReactTable({
    data: rows,
    columns: columnDefs,
    getCoreRowModel: getCoreRowModel(),
    getRowId: keyOf,
    manualSorting: true,
    manualPagination: true,
    manualFiltering: true,
    enableSortingRemoval: false,
    rowCount: total.exact ? total.count : undefined,
    pageCount: total.exact ? Math.max(1, Math.ceil(total.count / size)) : -1,
    state: { sorting, pagination: { pageIndex: page - 1, pageSize: size } },
    onSortingChange: (updater) => {
      const next = typeof updater === "function" ? updater(sorting) : updater;
      const first = next[0];
      const spec = columns.find((c) => c.id === first?.id);
      if (first && spec?.sortKey) navigate({ sort: `${spec.sortKey}.${first.desc ? "desc" : "asc"}` });
    },
    onPaginationChange: (updater) => {
      const next = typeof updater === "function" ? updater({ pageIndex: page - 1, pageSize: size }) : updater;
      if (next.pageSize !== size) navigate({ size: String(next.pageSize) });
      else {
        const target = next.pageIndex + 1;
        const cursor =
          props.cursors && target === page + 1 ? { after: props.cursors.next } :
          props.cursors && target === page - 1 && target > 1 ? { before: props.cursors.previous } : {};
        navigate({ page: target > 1 ? String(target) : undefined, ...cursor }, false);
      }
    },
  });

  /** First click: numbers largest first, text A-Z; again: the other way. */
  const toggleSort = (spec: ColumnSpec) => {
    const column = table.getColumn(spec.id)!;
    const current = column.getIsSorted();
    const desc = current ? current === "asc" : NUMERIC.has(spec.kind ?? "text") || spec.kind === "datetime";
    table.setSorting([{ id: spec.id, desc }]);
  };

  const exportQuery = new URLSearchParams(searchParams.toString());
  for (const key of ["page", "size", "after", "before"]) exportQuery.delete(key);
  exportQuery.set("sort", `${sort.column}.${sort.dir}`);
  for (const [k, v] of Object.entries(props.exportParams ?? {})) if (!exportQuery.get(k)) exportQuery.set(k, v);

  const firstRow = rows.length ? (page - 1) * size + 1 : 0;
  const lastRow = (page - 1) * size + rows.length;
  const totalText = total.exact ? formatCount(total.count) : `${formatCount(total.count)}+`;

  return (
    <div className={styles.wrap} data-testid={props.testId} data-ready={ready ? "true" : undefined}>
      {(props.filters?.length || props.exportHref) && (
        <div className={styles.controls}>
          {props.filters?.length ? (
            <FilterBar
              filters={props.filters}
              values={props.filterValues ?? {}}
              onApply={(values) => navigate(values)}
              pending={pending}
            />
          ) : (
            <span />
          )}
          {props.exportHref && (
            <a className="btn" href={`${props.exportHref}?${exportQuery.toString()}`} download data-testid="export-csv">
              Export CSV
            </a>
          )}
        </div>
      )}
      <div className={`table-wrap ${pending ? styles.pending : ""}`} aria-busy={pending}>
        <table className="table">
          {props.caption && <caption className={styles.caption}>{props.caption}</caption>}
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const spec = columns.find((c) => c.id === header.column.id)!;
                  const numeric = NUMERIC.has(spec.kind ?? "text") && spec.kind !== "trade";
                  const sorted = header.column.getIsSorted();
                  return (
                    <th
                      key={header.id}
                      className={numeric ? "num" : undefined}
                      title={spec.title}
                      aria-sort={sorted ? (sorted === "asc" ? "ascending" : "descending") : undefined}
                      data-column={spec.id}
                    >
                      {spec.sortKey ? (
                        <button type="button" className={styles.sortButton} onClick={() => toggleSort(spec)}>
                          {flexRender(header.column.columnDef.header, header.getContext())}
                          <span className={styles.sortMark} aria-hidden>
                            {sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}
                          </span>
                        </button>
                      ) : (
                        flexRender(header.column.columnDef.header, header.getContext())
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {table.getRowModel().rows.map((row) => (
              <tr key={row.id} data-row-key={row.id}>
                {row.getVisibleCells().map((cell) => {
                  const spec = columns.find((c) => c.id === cell.column.id)!;
                  const numeric = NUMERIC.has(spec.kind ?? "text") && spec.kind !== "trade";
                  return (
                    <td
                      key={cell.id}
                      className={`${numeric ? "num " : ""}${spec.wrap ? styles.cellWrap : styles.cell}`}
                      data-column={spec.id}
                    >
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </td>
                  );
                })}
              </tr>
            ))}
            {rows.length === 0 && (
              <tr>
                <td colSpan={columns.length} className="empty">
                  {props.emptyMessage ?? "No rows match these filters."}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <div className={styles.pager}>
        <span className="muted" data-testid="row-range">
          {rows.length ? `Rows ${formatCount(firstRow)}–${formatCount(lastRow)} of ${totalText}` : `0 of ${totalText}`}
        </span>
        <span className={styles.pagerButtons}>
          <label className={styles.pageSize}>
            Rows per page{" "}
            <select value={size} onChange={(e) => table.setPageSize(Number(e.target.value))} aria-label="Rows per page">
              {(props.pageSizes ?? [25, 50, 100, 200]).map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="btn btn-small" disabled={page <= 1} onClick={() => table.setPageIndex(0)}>
            First
          </button>
          <button type="button" className="btn btn-small" disabled={page <= 1} onClick={() => table.previousPage()}>
            Previous
          </button>
          <span className={styles.pageNumber}>Page {formatCount(page)}</span>
          <button
            type="button"
            className="btn btn-small"
            disabled={!hasMore}
            onClick={() => table.setPageIndex(page)}
            data-testid="next-page"
          >
            Next
          </button>
        </span>
      </div>
    </div>
  );
}

function renderCell(spec: ColumnSpec, row: Row, version?: number): ReactNode {
  const value = row[spec.id];
  const text = value === null || value === undefined ? null : String(value);
  switch (spec.kind ?? "text") {
    case "money":
      return <Money value={text} decimals={spec.decimals} />;
    case "usd":
      return <Money value={text} decimals={spec.decimals} signed={false} />;
    case "size":
      return <Size value={text} decimals={spec.decimals} />;
    case "price":
      return spec.decimals ? <Size value={text} decimals={spec.decimals} /> : <Price value={text} />;
    case "number":
      return text === null ? <span className="muted">—</span> : formatCount(text);
    case "datetime":
      return <DateTime value={text} />;
    case "trade":
      return <TradeLink id={text} version={version} />;
    case "badge":
      return text === null ? (
        <span className="muted">—</span>
      ) : (
        <span className={`badge badge-${spec.badgeTone?.[text] ?? text}`}>{text.replace(/_/g, " ")}</span>
      );
    case "link": {
      if (text === null) return <span className="muted">—</span>;
      const href = (spec.href ?? "").replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(String(row[k] ?? "")));
      return (
        <Link href={href} prefetch={false}>
          {text}
        </Link>
      );
    }
    default:
      return text ?? <span className="muted">—</span>;
  }
}
