// Page timings for `npm run bench`: the data loading of every dashboard page, through the same
// functions the pages call (db/queries/dashboard-pages.ts), at whatever data `db` holds. Each page
// is loaded three times and the median reported; the read models are brought up to date first
// (that is the refresh every run does, not page work).
import {
  allocationsPageData, comparePageData, discrepanciesPageData, overviewPageData, pnlPageData, tradePageData,
  tradesPageData, unmatchedPageData,
} from "@/db/queries/dashboard-pages";
import { listRuns } from "@/db/queries/runs";
import { ensureReadModels } from "@/db/read-models";
import { listReviewGroups } from "@/db/review/groups";
import { listReviewItems, reviewCounts, reviewSymbols, reviewVersions } from "@/db/review/queue";
import { filterContext } from "@/db/review/source";
import { type ReviewQuery, parseReviewQuery } from "@/lib/review/query";
import type { SqlClient } from "@/db/sql-client";

export async function benchPages(db: SqlClient, version: number): Promise<{ page: string; ms: number }[]> {
  await ensureReadModels(db, version);
  const v = String(version);
  const [sample] = await db.query<{ sell: number | null; buy: number | null; symbol: string | null; day: string | null; other: number | null }>(
    `SELECT (SELECT sell_trade_id FROM fifo_allocations WHERE allocation_version = $1 ORDER BY sell_trade_id DESC LIMIT 1) AS sell,
       (SELECT buy_trade_id FROM fifo_allocations WHERE allocation_version = $1 ORDER BY sell_trade_id DESC LIMIT 1) AS buy,
       (SELECT symbol FROM dash_symbol_pnl WHERE allocation_version = $1 ORDER BY allocations DESC LIMIT 1) AS symbol,
       (SELECT to_char(max(day) - 30, 'YYYY-MM-DD') FROM dash_daily_pnl WHERE allocation_version = $1) AS day,
       (SELECT max(allocation_version) FROM dash_refresh_state WHERE allocation_version <> $1) AS other`,
    [version],
  );
  const symbol = sample?.symbol ?? undefined;
  // Deep pages as Next/Previous reach them: the table's last rows come first in the other
  // direction, so Previous from the very last row (its cursor read there, untimed) is the deepest
  // keyset page.
  const deepCursor = async (load: (params: Record<string, string>) => Promise<{ page: { cursors?: { previous: string } } }>, sort: string) => {
    const [column, dir] = sort.split(".");
    const tail = await load({ version: v, sort: `${column}.${dir === "asc" ? "desc" : "asc"}`, size: "25" });
    return tail.page.cursors?.previous;
  };
  const deepCase = async (
    page: string,
    load: (params: Record<string, string>) => Promise<{ page: { cursors?: { previous: string } } }>,
    sort: string,
  ): Promise<[string, () => Promise<unknown>]> => {
    const before = await deepCursor(load, sort);
    return [`${page}?sort=${sort}&before=<last row> (keyset)`, () => load({ version: v, sort, page: "20000", ...(before ? { before } : {}) })];
  };
  const from = sample?.day ?? undefined;
  const cases: [string, () => Promise<unknown>][] = [
    ["/ (overview)", () => overviewPageData(db)],
    ["/unmatched", () => unmatchedPageData(db, { version: v })],
    ["/unmatched?severity=high&sort=sell_time.desc", () => unmatchedPageData(db, { version: v, severity: "high", sort: "sell_time.desc" })],
    ["/discrepancies", () => discrepanciesPageData(db, { version: v })],
    ["/discrepancies?type=pnl_difference&symbol", () => discrepanciesPageData(db, { version: v, type: "pnl_difference", symbol })],
    ["/discrepancies?cause=different_lot", () => discrepanciesPageData(db, { version: v, cause: "different_lot" })],
    ["/pnl", () => pnlPageData(db, { version: v })],
    ["/allocations", () => allocationsPageData(db, { version: v })],
    ["/allocations?sort=pnl_usd.desc", () => allocationsPageData(db, { version: v, sort: "pnl_usd.desc" })],
    ["/allocations?page=200", () => allocationsPageData(db, { version: v, page: "200" })],
    ["/allocations?symbol&from", () => allocationsPageData(db, { version: v, symbol, from })],
    ["/trades", () => tradesPageData(db, { version: v })],
    ["/trades?symbol&side=sell", () => tradesPageData(db, { version: v, symbol, side: "sell" })],
    ["/trades/[sell]", () => tradePageData(db, sample?.sell ?? 1, { version: v })],
    ["/trades/[buy]", () => tradePageData(db, sample?.buy ?? 1, { version: v })],
    ["/compare (old)", () => comparePageData(db, { version: v })],
    ["/compare?against=snapshot", () => comparePageData(db, { version: v, against: "snapshot" })],
    ["/compare?symbol&bucket=day", () => comparePageData(db, { version: v, symbol, bucket: "day" })],
  ];
  cases.push(
    await deepCase("/allocations", (p) => allocationsPageData(db, p), "sell_time.desc"),
    await deepCase("/trades", (p) => tradesPageData(db, p), "order_time.desc"),
    await deepCase("/unmatched", (p) => unmatchedPageData(db, p), "unmatched_notional_usd.desc"),
    await deepCase("/discrepancies", (p) => discrepanciesPageData(db, p), "abs_difference.desc"),
    // Ascending puts NULL keys last: the seek adds `OR key IS NULL`.
    await deepCase("/discrepancies", (p) => discrepanciesPageData(db, p), "trade_time.asc"),
    await deepCase("/pnl", (p) => pnlPageData(db, p), "abs_difference.desc"),
  );
  const [oldRun] = await db.query<{ id: number | null }>("SELECT min(id) + 25 AS id FROM fifo_computation_log");
  cases.push(["/runs?after=<oldest runs> (keyset)", () => listRuns(db, { pageSize: 25, page: 2, after: oldRun?.id ?? 1 })]);
  // The review pages (app/(app)/review/page.tsx, review/groups/page.tsx): versions, then the page's reads.
  const reviewPage = async (params: Record<string, string>) => {
    const versions = await reviewVersions(db);
    const query: ReviewQuery = parseReviewQuery({ version: String(versions[0] ?? version), ...params });
    const ctx = await filterContext(db, null);
    await Promise.all([listReviewItems(db, query, ctx), reviewCounts(db, query, ctx), reviewSymbols(db, query.version)]);
  };
  cases.push(
    ["/review", () => reviewPage({})],
    ["/review?severity=critical&type=unmatched_sell", () => reviewPage({ severity: "critical", type: "unmatched_sell" })],
    ["/review?page=deep (keyset after an item)", async () => {
      const [deep] = await db.query<{ id: number }>("SELECT max(id) AS id FROM manual_review_queue");
      await reviewPage({ page: "400", after: String(deep?.id ?? 1) });
    }],
    ["/review/groups", async () => {
      const versions = await reviewVersions(db);
      const query = parseReviewQuery({ version: String(versions[0] ?? version), status: "open" });
      await listReviewGroups(db, query, await filterContext(db, null));
    }],
  );
  if (sample?.other) cases.push([`/compare?against=v${sample.other}`, () => comparePageData(db, { version: v, against: `v${sample.other}` })]);
  const results: { page: string; ms: number }[] = [];
  for (const [page, load] of cases) {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      await load();
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    results.push({ page, ms: Math.round(times[1]! * 10) / 10 });
  }
  return results;
}
