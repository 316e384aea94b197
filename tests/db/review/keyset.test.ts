// Deep pages of the review queue by keyset: walking Next (after the last item) and Previous
// (before the first item) in every sort order gives exactly the pages OFFSET would, NULLs and
// ties included, and the CSV export (keyset batches) holds every row once, in order.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { exportReviewItems, listReviewItems } from "@/db/review/queue";
import { filterContext, type FilterContext } from "@/db/review/source";
import { SORT_COLUMNS } from "@/lib/review/query";
import { parseReviewQuery } from "@/lib/review/query";
import { createTestDatabase, type TestDatabase } from "../../helpers/database";
import { insertItem, insertTrades } from "./fixtures";

let t: TestDatabase;
let ctx: FilterContext;
const SEVERITIES = ["low", "medium", "high", "critical"] as const;
const STATUSES = ["pending", "in_review", "resolved", "dismissed"] as const;
const SYMBOLS = ["BTC-USD", "ETH-USD", "SOL-USD"];

beforeAll(async () => {
  t = await createTestDatabase();
  ctx = await filterContext(t.db, null);
  // 37 items with repeated severities, statuses, symbols and notionals, and some without one.
  for (let n = 0; n < 37; n++) {
    const [tradeId] = await insertTrades(t.db, [
      { symbol: SYMBOLS[n % 3]!, side: "sell", size: "1", price: "10", at: `2025-03-${String(1 + (n % 9)).padStart(2, "0")}T00:00:00Z` },
    ]);
    const notional = n % 5 === 0 ? null : String((n * 7) % 11);
    await insertItem(t.db, {
      tradeId: tradeId!,
      symbol: SYMBOLS[n % 3]!,
      issueType: n % 4 === 0 ? "pnl_discrepancy" : "unmatched_sell",
      severity: SEVERITIES[n % 4]!,
      status: STATUSES[(n * 3) % 4]!,
      notionalUsd: notional,
      unmatchedSize: notional,
    });
  }
});
afterAll(() => t.drop());

const ids = (rows: { id: number }[]) => rows.map((r) => r.id);

describe("keyset pages", () => {
  for (const column of SORT_COLUMNS) {
    for (const direction of ["asc", "desc"] as const) {
      test(`${column}.${direction}: Next and Previous give the OFFSET pages`, async () => {
        const base = { sort: `${column}.${direction}`, size: "25" };
        const byOffset = [];
        for (let page = 1; page <= 2; page++) byOffset.push(ids(await listReviewItems(t.db, parseReviewQuery({ ...base, page: String(page) }), ctx)));
        expect(byOffset.flat().sort((a, b) => a - b)).toHaveLength(37);
        // The page numbers sent with a cursor are deliberately wrong: only the cursor decides.
        const second = await listReviewItems(t.db, parseReviewQuery({ ...base, page: "7", after: String(byOffset[0]!.at(-1)) }), ctx);
        expect(ids(second)).toEqual(byOffset[1]);
        const backToFirst = await listReviewItems(t.db, parseReviewQuery({ ...base, page: "9", before: String(byOffset[1]![0]) }), ctx);
        expect(ids(backToFirst)).toEqual(byOffset[0]);
      });
    }
  }

  test("with a filter, the keyset stays inside it", async () => {
    const base = { sort: "priority", size: "25", status: "open", symbol: "BTC-USD" };
    const all = ids(await listReviewItems(t.db, parseReviewQuery({ ...base, size: "200" }), ctx));
    const first = ids(await listReviewItems(t.db, parseReviewQuery({ ...base, size: "25" }), ctx)).slice(0, 3);
    const rest = ids(await listReviewItems(t.db, parseReviewQuery({ ...base, after: String(first[2]) }), ctx));
    expect([...first, ...rest]).toEqual(all);
  });

  test("a cursor item that no longer exists falls back to the page number", async () => {
    const page2 = ids(await listReviewItems(t.db, parseReviewQuery({ size: "25", page: "2" }), ctx));
    expect(ids(await listReviewItems(t.db, parseReviewQuery({ size: "25", page: "2", after: "999999" }), ctx))).toEqual(page2);
  });

  test("the CSV export reads keyset batches: every row once, in the page order", async () => {
    const query = parseReviewQuery({ sort: "notional.desc" });
    const exported: number[] = [];
    for await (const row of exportReviewItems(t.db, query, ctx, 4)) exported.push(row.id);
    expect(exported).toEqual(ids(await listReviewItems(t.db, parseReviewQuery({ sort: "notional.desc", size: "200" }), ctx)));
  });
});
