// What each dashboard page loads, in one call per page: the pages call these after requireUser(),
// the CSV export route calls exportTable, and bench/pages.ts times the very same functions.
import { cachedReadModel } from "../read-model-cache";
import { ensureReadModels, ensureReadModelsRefreshedAt, ensureReadModelsStamp } from "../read-models";
import type { SqlClient } from "../sql-client";
import { TABLES, type TableName } from "@/lib/table/tables";
import { type SearchParams, type TableState, versionParam } from "@/lib/table/url-state";
import { allocationsSource, type AllocationRow } from "./allocations";
import {
  autoBucket, baselineLabel, baselineParam, cumulativePnl, differenceHistogram, largestDifferences, parseBaseline, symbolComparison,
  type Bucket,
} from "./compare";
import { causeDecisions } from "../review/cause-decisions";
import { discrepanciesSource, discrepancyCounts, type DiscrepancyRow } from "./discrepancies";
import { causeOfSell, causeSummary } from "./discrepancy-causes";
import { activeRuns, recentRuns, versionHealth } from "./overview";
import type { Page } from "./params";
import { pnlBySymbolSource, pnlTotals, versionSymbols, type SymbolPnlRow } from "./pnl-by-symbol";
import { exportRows, fetchPage, type TableSource } from "./table-source";
import { tradeDetail } from "./trade-detail";
import { tradesSource, type TradeRow } from "./trades";
import { unmatchedSellsSource, type UnmatchedSellRow } from "./unmatched-sells";
import { getCurrentVersion, listVersions, type VersionOption } from "./versions";

export interface VersionContext {
  version: number;
  currentVersion: number;
  versions: VersionOption[];
  symbols: string[];
  refreshedAt: string | null;
}

/** The version a page shows (the URL's, else the current one), with fresh read models. */
export async function versionContext(db: SqlClient, requested?: number): Promise<VersionContext> {
  // Two round trips: the current version, then everything else at once (a page view's fixed cost).
  const readModels = (version: number) =>
    Promise.all([versionSymbols(db, version), ensureReadModelsRefreshedAt(db, version)]);
  const early = requested === undefined ? undefined : readModels(requested);
  const currentVersion = await getCurrentVersion(db);
  const version = requested ?? currentVersion;
  const [versions, [symbols, refreshedAt]] = await Promise.all([listVersions(db, currentVersion), early ?? readModels(version)]);
  return { version, currentVersion, versions, symbols, refreshedAt };
}

export interface TablePageData<R, S> {
  context: VersionContext;
  state: S;
  page: Page<R>;
}

async function tablePage<R, C extends string, F extends { version?: number }>(
  db: SqlClient,
  table: { parse(params: SearchParams): TableState<C, F> },
  source: TableSource<F & { version: number }, C>,
  params: SearchParams,
): Promise<TablePageData<R, TableState<C, F>>> {
  const state = table.parse(params);
  const context = await versionContext(db, state.filters.version);
  const filters = { ...state.filters, version: context.version };
  const page = await fetchPage<R, F & { version: number }, C>(db, source, { ...state, filters });
  return { context, state, page };
}

export type UnmatchedState = ReturnType<typeof TABLES.unmatched.parse>;
export type DiscrepanciesState = ReturnType<typeof TABLES.discrepancies.parse>;
export type PnlState = ReturnType<typeof TABLES.pnl.parse>;
export type AllocationsState = ReturnType<typeof TABLES.allocations.parse>;
export type TradesState = ReturnType<typeof TABLES.trades.parse>;

export async function unmatchedPageData(db: SqlClient, params: SearchParams): Promise<TablePageData<UnmatchedSellRow, UnmatchedState>> {
  return tablePage(db, TABLES.unmatched, unmatchedSellsSource, params);
}

export async function discrepanciesPageData(db: SqlClient, params: SearchParams) {
  const data = await tablePage<DiscrepancyRow, DiscrepanciesState["sort"]["column"], DiscrepanciesState["filters"]>(
    db, TABLES.discrepancies, discrepanciesSource, params,
  );
  const { version } = data.context;
  const [counts, causes, decisions] = await Promise.all([
    discrepancyCounts(db, version, data.state.filters.symbol),
    causeSummary(db, version, data.state.filters.symbol),
    causeDecisions(db, version),
  ]);
  return { ...data, counts, causes, decisions };
}

export async function pnlPageData(db: SqlClient, params: SearchParams) {
  const data = await tablePage<SymbolPnlRow, PnlState["sort"]["column"], PnlState["filters"]>(
    db, TABLES.pnl, pnlBySymbolSource, params,
  );
  return { ...data, totals: await pnlTotals(db, data.context.version) };
}

export async function allocationsPageData(db: SqlClient, params: SearchParams): Promise<TablePageData<AllocationRow, AllocationsState>> {
  return tablePage(db, TABLES.allocations, allocationsSource, params);
}

export async function tradesPageData(db: SqlClient, params: SearchParams): Promise<TablePageData<TradeRow, TradesState>> {
  return tablePage(db, TABLES.trades, tradesSource, params);
}

const SOURCES = {
  unmatched: unmatchedSellsSource,
  discrepancies: discrepanciesSource,
  pnl: pnlBySymbolSource,
  allocations: allocationsSource,
  trades: tradesSource,
} as const;

interface ExportFilters {
  version?: number;
  symbol?: string;
  from?: string;
  to?: string;
}

/** CSV export of a table: the same filters and order as its page, every row. */
export async function exportTable(db: SqlClient, name: TableName, params: URLSearchParams) {
  // The tables differ in filters; what is common here is read through this loose shape.
  const state = (TABLES[name] as { parse(p: URLSearchParams): TableState<string, ExportFilters> }).parse(params);
  const version = state.filters.version ?? (await getCurrentVersion(db));
  if (name !== "trades") await ensureReadModels(db, version);
  const filters = { ...state.filters, version };
  const source = SOURCES[name] as unknown as TableSource<typeof filters, string>;
  const { header, rows } = exportRows(db, source, { filters, sort: state.sort });
  const parts = [name, `v${version}`, filters.symbol, filters.from && `from-${filters.from}`, filters.to && `to-${filters.to}`];
  return { header, rows, filename: `${parts.filter(Boolean).join("_")}.csv` };
}

export async function overviewPageData(db: SqlClient) {
  const currentVersion = await getCurrentVersion(db);
  const stamp = await ensureReadModelsStamp(db, currentVersion);
  const [health, running, runs, topSymbols] = await Promise.all([
    versionHealth(db),
    activeRuns(db),
    recentRuns(db, 5),
    cachedReadModel(db, `compare:${currentVersion}:old::symbols`, [stamp, ""], () => symbolComparison(db, currentVersion, { kind: "old" })),
  ]);
  return { currentVersion, health, running, runs, topSymbols: topSymbols.slice(0, 8) };
}

export async function tradePageData(db: SqlClient, tradeId: number, params: SearchParams) {
  const currentVersion = await getCurrentVersion(db);
  const versions = await listVersions(db, currentVersion);
  const version = versionParam(params.version) ?? currentVersion;
  const withData = versions.filter((v) => v.hasData).map((v) => v.version);
  const [detail, cause] = await Promise.all([tradeDetail(db, tradeId, version, withData), causeOfSell(db, version, tradeId)]);
  return { version, currentVersion, versions, detail, cause };
}

export async function comparePageData(db: SqlClient, params: SearchParams) {
  const one = (k: string) => {
    const v = params[k];
    return (Array.isArray(v) ? v[0] : v) || undefined;
  };
  const currentVersion = await getCurrentVersion(db);
  const versions = await listVersions(db, currentVersion);
  const version = versionParam(one("version")) ?? currentVersion;
  const baseline = parseBaseline(one("against"), version);
  const [stamp, baselineStamp, symbols] = await Promise.all([
    ensureReadModelsStamp(db, version),
    baseline.kind === "version" ? ensureReadModelsStamp(db, baseline.version) : "",
    versionSymbols(db, version),
  ]);
  const symbolParam = one("symbol");
  const symbol = symbolParam && symbols.includes(symbolParam) ? symbolParam : undefined;
  const bucketParam = one("bucket");
  // Everything below reads only the read models: the same for every viewer until a run.
  const cached = <T>(key: string, load: () => Promise<T>) =>
    cachedReadModel(db, `compare:${version}:${baselineParam(baseline)}:${symbol ?? ""}:${key}`, [stamp, baselineStamp], load);
  const bucket: Bucket =
    bucketParam === "day" || bucketParam === "week" || bucketParam === "month" ? bucketParam : await cached("bucket", () => autoBucket(db, version));
  const [bySymbol, cumulative, histogram, largest] = await Promise.all([
    cached("symbols", () => symbolComparison(db, version, baseline)),
    cached(`cumulative:${bucket}`, () => cumulativePnl(db, version, baseline, bucket, symbol)),
    cached("histogram", () => differenceHistogram(db, version, baseline, symbol)),
    cached("largest", () => largestDifferences(db, version, baseline, { symbol, limit: 25 })),
  ]);
  return {
    version, currentVersion, versions, symbols, symbol, bucket, baseline, baselineLabel: baselineLabel(baseline),
    bySymbol, cumulative, histogram, largest,
  };
}
