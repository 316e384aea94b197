// The queue's reads: server-side filters, the default order (pending critical first), paging,
// counts per status and severity, dust, groups, and an item's context and history.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { listReviewGroups, openItemsOfGroup } from "@/db/review/groups";
import { reviewItemContext } from "@/db/review/item";
import { exportReviewItems, listReviewItems, reviewCounts, reviewItemRefs } from "@/db/review/queue";
import { filterContext, type FilterContext } from "@/db/review/source";
import { changeReviewItem } from "@/db/review/transitions";
import { groupLabel } from "@/lib/review/groups";
import { parseReviewQuery } from "@/lib/review/query";
import { createTestDatabase, type TestDatabase } from "../../helpers/database";
import { insertItem, insertTrades, makeUser } from "./fixtures";

let t: TestDatabase;
let ctx: FilterContext;
let alice: { id: number; email: string };
const ids: Record<string, number> = {};

// A small queue, as a table:
//   name        symbol    type             severity  status     unmatched  price   trade time
const ITEMS = [
  ["doge1", "DOGE-USD", "unmatched_sell", "low", "pending", "0.1", "0.2", "2025-03-02T00:00:00Z"],
  ["doge2", "DOGE-USD", "unmatched_sell", "low", "pending", "0.2", "0.2", "2025-03-20T00:00:00Z"],
  ["doge3", "DOGE-USD", "unmatched_sell", "medium", "pending", "100", "0.2", "2025-04-01T00:00:00Z"],
  ["btcCrit", "BTC-USD", "unmatched_sell", "critical", "pending", "1", "60000", "2025-03-05T00:00:00Z"],
  ["btcHigh", "BTC-USD", "unmatched_sell", "high", "pending", "0.1", "60000", "2025-03-06T00:00:00Z"],
  ["btcDone", "BTC-USD", "unmatched_sell", "critical", "resolved", "2", "60000", "2025-03-07T00:00:00Z"],
  ["ethRev", "ETH-USD", "pnl_discrepancy", "critical", "in_review", null, "3000", "2025-03-08T00:00:00Z"],
] as const;

beforeAll(async () => {
  t = await createTestDatabase();
  alice = await makeUser(t.db, "reviewer");
  ctx = await filterContext(t.db, alice.id);
  await insertTrades(t.db, [
    { symbol: "DOGE-USD", side: "buy", size: "5", price: "0.1", at: "2025-01-01T00:00:00Z" },
  ]);
  for (const [name, symbol, type, severity, status, unmatched, price, at] of ITEMS) {
    const [tradeId] = await insertTrades(t.db, [
      { symbol, side: "sell", size: unmatched ?? "1", price, at, pnlUsd: type === "pnl_discrepancy" ? "500" : null },
    ]);
    const item = await insertItem(t.db, {
      tradeId: tradeId!,
      symbol,
      issueType: type,
      severity,
      status,
      unmatchedSize: unmatched,
      notionalUsd: unmatched === null ? null : (await t.db.query<{ n: string }>("SELECT ($1::numeric * $2::numeric)::text AS n", [unmatched, price]))[0]!.n,
      oldPnlUsd: type === "pnl_discrepancy" ? "500" : null,
      newPnlUsd: type === "pnl_discrepancy" ? "-100" : null,
    });
    ids[name] = item.id;
  }
  await t.db.query("UPDATE manual_review_queue SET assigned_to = $1 WHERE id = $2", [alice.id, ids.ethRev]);
});
afterAll(() => t.drop());

const names = (rows: { id: number }[]) => rows.map((r) => Object.keys(ids).find((k) => ids[k] === r.id));

describe("the queue page's reads", () => {
  test("by default: pending critical first, then by severity and notional; closed items last", async () => {
    const rows = await listReviewItems(t.db, parseReviewQuery({}), ctx);
    expect(names(rows)).toEqual(["btcCrit", "btcHigh", "doge3", "doge2", "doge1", "ethRev", "btcDone"]);
  });

  test("filters on the server: status, severity, type, symbol, assignee, version, month, dust", async () => {
    const q = (params: Record<string, string>) => listReviewItems(t.db, parseReviewQuery(params), ctx).then(names);
    expect(await q({ status: "open", severity: "critical" })).toEqual(["btcCrit", "ethRev"]);
    expect(await q({ type: "pnl_discrepancy" })).toEqual(["ethRev"]);
    expect(await q({ symbol: "doge-usd", month: "2025-03" })).toEqual(["doge2", "doge1"]);
    expect(await q({ assignee: "me" })).toEqual(["ethRev"]);
    expect(await q({ assignee: "none", status: "resolved" })).toEqual(["btcDone"]);
    expect(await q({ version: "2" })).toEqual([]);
    expect(await q({ dust: "1" })).toEqual(["doge2", "doge1"]);
    expect(await q({ sort: "notional.asc", status: "pending" })).toEqual(["doge1", "doge2", "doge3", "btcHigh", "btcCrit"]);
  });

  test("nonsense in the URL falls back to defaults instead of reaching SQL", () => {
    const query = parseReviewQuery({ status: "drop table", sort: "pnl;--", page: "-3", size: "7", severity: "urgent" });
    expect(query).toMatchObject({ status: "all", sort: { column: "priority" }, page: 1, size: 50, severity: undefined });
  });

  test("pages", async () => {
    const page2 = await listReviewItems(t.db, parseReviewQuery({ size: "25", page: "2" }), ctx);
    expect(page2).toEqual([]);
  });

  test("counts per status and severity (each facet ignores its own filter)", async () => {
    const counts = await reviewCounts(t.db, parseReviewQuery({ status: "pending", symbol: "BTC-USD" }), ctx);
    expect(counts.total).toBe(2);
    expect(counts.byStatus).toEqual({ pending: 2, in_review: 0, resolved: 1, dismissed: 0 });
    expect(counts.bySeverity).toEqual({ critical: 1, high: 1, medium: 0, low: 0 });
    const all = await reviewCounts(t.db, parseReviewQuery({}), ctx);
    expect(all.openDust).toBe(2);
  });

  test("refs for bulk selections, and the CSV export's rows", async () => {
    expect((await reviewItemRefs(t.db, { dust: "1", status: "open" }, ctx)).map((r) => r.id).sort()).toEqual(
      [ids.doge1, ids.doge2].sort(),
    );
    const exported = [];
    for await (const row of exportReviewItems(t.db, parseReviewQuery({}), ctx, 3)) exported.push(row);
    expect(exported).toHaveLength(ITEMS.length);
    // batches of 3 keep the queue's order exactly, for every sort
    for (const sort of ["priority", "notional.desc", "trade_time.asc", "symbol.desc", "updated.asc"]) {
      const query = parseReviewQuery({ sort, size: "200" });
      const ids = [];
      for await (const row of exportReviewItems(t.db, query, ctx, 3)) ids.push(row.id);
      expect(ids).toEqual((await listReviewItems(t.db, query, ctx)).map((r) => r.id));
    }
  });
});

describe("groups: no alert flood", () => {
  test("items fold by symbol, type, cause and month, with totals and the refs to act on them", async () => {
    const groups = await listReviewGroups(t.db, { status: "open", symbol: "DOGE-USD" }, ctx);
    expect(groups.map((g) => [g.cause, g.month, g.items, g.unmatched_size, g.severity])).toEqual([
      ["no_open_lot", "2025-04", 1, "100", "medium"],
      ["dust", "2025-03", 2, "0.3", "low"],
    ]);
    const dust = groups[1]!;
    const selection = await openItemsOfGroup(t.db, { version: dust.allocation_version, symbol: dust.symbol, type: dust.issue_type, cause: dust.cause, month: dust.month }, dust.open_as_of!, ctx, 5000);
    expect(selection).toEqual({ refs: [ids.doge1!, ids.doge2!].sort((a, b) => a - b).map((id) => ({ id, rowVersion: 1 })), changedSince: 0 });
    // an item changed after the page was rendered is left alone and counted
    await t.db.query(`UPDATE manual_review_queue SET updated_at = now() + interval '1 minute' WHERE id = $1`, [ids.doge1]);
    expect(await openItemsOfGroup(t.db, { version: dust.allocation_version, symbol: dust.symbol, type: dust.issue_type, cause: dust.cause, month: dust.month }, dust.open_as_of!, ctx, 5000)).toEqual({
      refs: [{ id: ids.doge2, rowVersion: 1 }],
      changedSince: 1,
    });
    expect(
      groupLabel({
        symbol: dust.symbol,
        issueType: dust.issue_type,
        cause: dust.cause,
        month: dust.month,
        items: dust.items,
        unmatchedSize: dust.unmatched_size,
        amountUsd: dust.amount_usd,
      }),
    ).toBe("2 unmatched DOGE-USD sells in 2025-03 (dust), 0.3 DOGE total");
  });

  test("groups come in pages: the pages together are the whole list, in the same order", async () => {
    const all = await listReviewGroups(t.db, { status: "all" }, ctx);
    expect(all.length).toBeGreaterThan(2);
    const paged = [];
    for (let offset = 0; offset < all.length + 2; offset += 2) paged.push(...(await listReviewGroups(t.db, { status: "all" }, ctx, { limit: 2, offset })));
    expect(paged).toEqual(all);
  });

  test("a changed dust threshold reclassifies at once (it is read from fifo_settings)", async () => {
    await t.db.query("UPDATE fifo_settings SET value = '0.03' WHERE key = 'dust_notional_usd'");
    const strict = await filterContext(t.db, alice.id);
    const rows = await listReviewItems(t.db, parseReviewQuery({ dust: "1" }), strict);
    expect(names(rows)).toEqual(["doge1"]);
    await t.db.query("UPDATE fifo_settings SET value = '1' WHERE key = 'dust_notional_usd'");
  });
});

describe("an item's page", () => {
  test("shows the trade, the old system's figures, the trades around it and the full history with runs", async () => {
    const [run] = await t.db.query<{ id: number }>(
      `INSERT INTO fifo_computation_log (allocation_version, started_by, status) VALUES (1, 'test', 'succeeded') RETURNING id`,
    );
    await t.db.query(
      `INSERT INTO manual_review_history (item_id, action, from_status, to_status, actor_label, computation_id)
       VALUES ($1, 'reopened', 'resolved', 'pending', $2, $3)`,
      [ids.ethRev, `run #${run!.id}`, run!.id],
    );
    await changeReviewItem(t.db, { id: ids.ethRev!, rowVersion: 1 }, { action: "resolve", resolutionType: "explained", notes: "fee bug" }, alice);
    const context = await reviewItemContext(t.db, ids.ethRev!, ctx);
    expect(context!.item).toMatchObject({ symbol: "ETH-USD", status: "resolved", cause: "old_pnl_higher", old_pnl_usd: "500" });
    expect(context!.trade).toMatchObject({ side: "sell", pnl_usd: "500" });
    expect(context!.nearby.map((n) => n.symbol)).toEqual(["ETH-USD"]);
    expect(context!.history.map((h) => [h.action, h.computation_id, h.actor_email])).toEqual([
      ["opened", null, null],
      ["reopened", run!.id, null],
      ["resolved", null, alice.email],
    ]);
    expect(await reviewItemContext(t.db, 999999, ctx)).toBeNull();
  });

  test("nearby trades are those of the symbol around the trade, in order", async () => {
    const context = await reviewItemContext(t.db, ids.doge2!, ctx, 1);
    expect(context!.nearby.map((n) => n.order_time)).toEqual([
      "2025-03-02 00:00:00+00",
      "2025-03-20 00:00:00+00",
      "2025-04-01 00:00:00+00",
    ]);
  });
});
