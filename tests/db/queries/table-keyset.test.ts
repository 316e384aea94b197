// Deep pages of the dashboard tables by keyset: on a seeded, computed history, walking Next (after
// the last row) to the end and Previous (before the first row) back to the start, in every sort
// and both directions, gives exactly the full ordered list; NULL sort keys and ties included.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  allocationsPageData, discrepanciesPageData, pnlPageData, tradesPageData, unmatchedPageData,
} from "@/db/queries/dashboard-pages";
import { allocationsSource } from "@/db/queries/allocations";
import { discrepanciesSource } from "@/db/queries/discrepancies";
import type { Page } from "@/db/queries/params";
import { pnlBySymbolSource } from "@/db/queries/pnl-by-symbol";
import { fetchPage, type TableSource } from "@/db/queries/table-source";
import { tradesSource } from "@/db/queries/trades";
import { unmatchedSellsSource } from "@/db/queries/unmatched-sells";
import { ensureReadModels } from "@/db/read-models";
import { seedTrades } from "@/db/seed-writer";
import type { SqlClient } from "@/db/sql-client";
import { computeAllocations } from "@/lib/compute/run-computation";
import { encodeCursor } from "@/lib/table/keyset";
import { TABLES, type TableName } from "@/lib/table/tables";
import type { SearchParams } from "@/lib/table/url-state";
import { createTestDatabase, type TestDatabase } from "../../helpers/database";
import { insertTrades } from "../../helpers/trades";

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
  await seedTrades(t.db, { trades: 1500, symbols: 60, seed: 11 });
  // Sells with no lot before them: 40 unmatched sells, in pairs at the same time and of the same size.
  await insertTrades(t.db, Array.from({ length: 40 }, (_, n) => ({
    symbol: `ZZ${n % 3}-USD`, side: "sell", size: String(1 + (n >> 1) % 7), price: "10",
    time: `2019-01-${String(1 + (n >> 1) % 28).padStart(2, "0")}T00:00:00Z`,
  })));
  await computeAllocations(t.db, { version: 1, symbols: null, mode: "full", startedBy: "test" });
  await ensureReadModels(t.db, 1);
  // Discrepancy rows without a size or a time (sorted last ascending, first descending).
  await t.db.query(`INSERT INTO dash_discrepancies (allocation_version, discrepancy_type, symbol, trade_id, details)
    SELECT 1, 'buy_overallocated', symbol, id, 'test' FROM trade_records WHERE side = 'buy' ORDER BY id LIMIT 30`);
}, 120_000);
afterAll(() => t.drop());

type PageData = (db: SqlClient, params: SearchParams) => Promise<{ page: Page<object> }>;
const TABLE_PAGES: Record<TableName, [PageData, TableSource<never, string>]> = {
  allocations: [allocationsPageData, allocationsSource as unknown as TableSource<never, string>],
  trades: [tradesPageData, tradesSource as unknown as TableSource<never, string>],
  unmatched: [unmatchedPageData, unmatchedSellsSource as unknown as TableSource<never, string>],
  discrepancies: [discrepanciesPageData, discrepanciesSource as unknown as TableSource<never, string>],
  pnl: [pnlPageData, pnlBySymbolSource as unknown as TableSource<never, string>],
};
const SIZE = 25;
const key = (row: object) => JSON.stringify(row);

async function fullList(name: TableName, sort: string): Promise<string[]> {
  const state = TABLES[name].parse({ sort, version: "1" });
  const page = await fetchPage<object, never, string>(t.db, TABLE_PAGES[name][1], {
    ...state, filters: state.filters as never, page: 1, size: 1_000_000,
  });
  return page.rows.map(key);
}

for (const name of Object.keys(TABLES) as TableName[]) {
  describe(`${name} by keyset`, () => {
    const [load] = TABLE_PAGES[name];
    for (const column of TABLES[name].definition.sortable) {
      for (const dir of ["asc", "desc"] as const) {
        test(`${column}.${dir}: Next to the end and Previous back give the full order`, async () => {
          const sort = `${column}.${dir}`;
          const all = await fullList(name, sort);
          expect(all.length).toBeGreaterThan(SIZE);
          const base = { version: "1", sort, size: String(SIZE) };
          // Forward: the first page by number, then after the last row of each page.
          const forward: object[][] = [];
          let page = (await load(t.db, base)).page;
          forward.push(page.rows);
          let n = 1;
          while (page.hasMore) {
            n++;
            // A wrong page number on purpose: only the cursor decides which rows come.
            page = (await load(t.db, { ...base, page: String(n + 100), after: page.cursors!.next })).page;
            forward.push(page.rows);
          }
          expect(forward.flat().map(key)).toEqual(all);
          expect(forward.slice(0, -1).every((rows) => rows.length === SIZE)).toBe(true);
          // Backward from the last page: before the first row of each page, to the first page.
          const backward: object[][] = [];
          let back = { ...page, page: n };
          backward.unshift(back.rows);
          while (back.page > 1) {
            const previous = (await load(t.db, { ...base, page: String(back.page - 1), before: back.cursors!.previous })).page;
            expect(previous.hasMore).toBe(true);
            backward.unshift(previous.rows);
            back = previous;
          }
          expect(backward.flat().map(key)).toEqual(all);
        });
      }
    }
  });
}

describe("cursors the tables do not accept", () => {
  test("a plain page number still pages (by OFFSET) for shared links", async () => {
    const all = await fullList("trades", "order_time.desc");
    const page3 = (await tradesPageData(t.db, { version: "1", size: "25", page: "3" })).page;
    expect(page3.rows.map(key)).toEqual(all.slice(50, 75));
    expect(page3.page).toBe(3);
  });

  test("a cursor that does not fit the sort's keys falls back to the page number", async () => {
    const page2 = (await allocationsPageData(t.db, { version: "1", size: "25", page: "2" })).page.rows.map(key);
    for (const bad of [
      encodeCursor(["not a time", "1", "1"]), // wrong type for sell_time
      encodeCursor(["2025-01-01T00:00:00.000000Z", "1"]), // too few keys
      encodeCursor(["2025-01-01T00:00:00.000000Z", null, "1"]), // NULL in a tie-breaker
      "%%%",
    ]) {
      const page = (await allocationsPageData(t.db, { version: "1", size: "25", page: "2", after: bad })).page;
      expect(page.rows.map(key)).toEqual(page2);
    }
  });

  test("Previous close to the start shows the whole first page", async () => {
    const all = await fullList("trades", "id.asc");
    const id = String((JSON.parse(all[10]!) as { id: number }).id);
    const back = (await tradesPageData(t.db, { version: "1", sort: "id.asc", size: "25", page: "2", before: encodeCursor([id, id]) })).page;
    expect(back.page).toBe(1);
    expect(back.rows.map(key)).toEqual(all.slice(0, 25));
    expect(back.hasMore).toBe(true);
  });

  test("filters hold on keyset pages", async () => {
    const [top] = (await pnlPageData(t.db, { version: "1", sort: "allocations.desc" })).page.rows as { symbol: string }[];
    const symbol = top!.symbol;
    const state = TABLES.allocations.parse({ version: "1", symbol, sort: "pnl_usd.asc" });
    const all = (await fetchPage<object, never, string>(t.db, allocationsSource as unknown as TableSource<never, string>, {
      ...state, filters: state.filters as never, page: 1, size: 1_000_000,
    })).rows.map(key);
    expect(all.length).toBeGreaterThan(25);
    const base = { version: "1", symbol, sort: "pnl_usd.asc", size: "25" };
    let page = (await allocationsPageData(t.db, base)).page;
    const walked = [...page.rows];
    while (page.hasMore) {
      page = (await allocationsPageData(t.db, { ...base, page: "2", after: page.cursors!.next })).page;
      walked.push(...page.rows);
    }
    expect(walked.map(key)).toEqual(all);
  });
});

test("the seeded history has what the walks must cross: NULL sort keys and tied ones", async () => {
  const [row] = await t.db.query<{ nulls: number; ties: number }>(
    `SELECT (SELECT count(*)::int FROM dash_discrepancies WHERE allocation_version = 1 AND abs_difference IS NULL AND trade_time IS NULL) AS nulls,
       (SELECT count(*)::int FROM (SELECT sell_time FROM fifo_allocations WHERE allocation_version = 1
         GROUP BY sell_time HAVING count(*) > 1) tied) AS ties`,
  );
  expect(row!.ties).toBeGreaterThan(0);
  expect(row!.nulls).toBeGreaterThan(0);
});
