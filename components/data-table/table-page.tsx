// The frame of a table page: title, what it shows, which version and how fresh the figures are.
import type { ReactNode } from "react";
import { DateTime } from "@/components/format/date-time";
import type { VersionContext } from "@/db/queries/dashboard-pages";

export function TablePageHeader(props: { title: string; description: ReactNode; context?: VersionContext; children?: ReactNode }) {
  const { context } = props;
  return (
    <div className="page-header">
      <div>
        <h1>{props.title}</h1>
        <p className="muted">{props.description}</p>
      </div>
      {context && (
        <div className="muted" style={{ textAlign: "right", fontSize: 13 }}>
          <div>
            Allocation version <strong data-testid="shown-version">v{context.version}</strong>
            {context.version === context.currentVersion ? " (current)" : ""}
          </div>
          {context.refreshedAt && (
            <div>
              Figures as of <DateTime value={context.refreshedAt} />
            </div>
          )}
        </div>
      )}
      {props.children}
    </div>
  );
}

/** The DataTable props every table page fills the same way from its page data. */
export function pagedTableProps(data: {
  context: VersionContext;
  state: { sort: { column: string; dir: "asc" | "desc" }; filters: object };
  page: {
    rows: readonly object[];
    page: number;
    size: number;
    hasMore: boolean;
    total: { count: number; exact: boolean };
    cursors?: { next: string; previous: string };
  };
}) {
  return {
    rows: data.page.rows as unknown as Record<string, unknown>[],
    sort: data.state.sort,
    page: data.page.page,
    size: data.page.size,
    hasMore: data.page.hasMore,
    total: data.page.total,
    version: data.context.version,
    filterValues: data.state.filters as Record<string, unknown>,
    cursors: data.page.cursors,
  };
}
