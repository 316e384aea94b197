// On a bot's trade_records nothing of ours runs DDL or DML: its columns, indexes and rows are
// byte-identical before and after migrate, compute, review (a manual buy recorded, reopened,
// voided, recorded again) and rollback. Manual buys live in fifo_manual_trades: one live buy per
// sell, shared by the sell's items in every version. Indexes on the bot's table are opt-in.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { migrate, rollbackFifo } from "@/db/migrations";
import { recordManualCostBasis } from "@/db/review/cost-basis";
import { sqlViolations } from "@/db/compute/validation";
import { reopenReviewItem } from "@/db/review/reopen";
import { changeReviewItems } from "@/db/review/transitions";
import type { SqlClient } from "@/db/sql-client";
import { computeAllocations } from "@/lib/compute/run-computation";
import { ReviewRefusedError } from "@/lib/review/errors";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { BOT_TRADE_RECORDS_SQL, type TradeRecordsState, tradeRecordsState } from "../helpers/trade-records-state";
import { makeUser } from "./review/fixtures";

// The bot's ETH history: buy 2, sell 1, sell 0.25, then sell 5 (trade 6): 4.25 ETH have no cost basis.
const ETH_SELL = 6;
const manualBuy = { size: "4.25", price: "1000", feeUsd: "0.5", orderTime: "2024-01-05T12:00:00Z", notes: "bought on another exchange" };

async function item(db: SqlClient, version: number) {
  const [row] = await db.query<{ id: number; row_version: number; status: string; manual_trade_id: number | null }>(
    `SELECT id, row_version, status, manual_trade_id FROM manual_review_queue
     WHERE allocation_version = $1 AND trade_id = $2 AND issue_type = 'unmatched_sell' ORDER BY id DESC LIMIT 1`,
    [version, ETH_SELL],
  );
  return row!;
}

async function unmatched(db: SqlClient, version: number): Promise<string | null> {
  const [row] = await db.query<{ unmatched_size: string }>(
    "SELECT unmatched_size FROM fifo_unmatched_sells WHERE allocation_version = $1 AND sell_trade_id = $2",
    [version, ETH_SELL],
  );
  return row?.unmatched_size ?? null;
}

async function liveManualBuys(db: SqlClient): Promise<{ id: number; sell_trade_id: number }[]> {
  return db.query("SELECT id, sell_trade_id FROM fifo_manual_trades WHERE voided_at IS NULL ORDER BY id");
}

const run = (db: SqlClient, version: number) =>
  computeAllocations(db, { version, symbols: null, mode: "full", startedBy: "test" });

describe("a bot's trade_records through migrate, compute, review and rollback", () => {
  let t: TestDatabase;
  let untouched: TradeRecordsState;
  let reviewer: { id: number; email: string };

  beforeAll(async () => {
    t = await createTestDatabase({ migrated: false });
    await t.db.exec(BOT_TRADE_RECORDS_SQL);
    untouched = await tradeRecordsState(t.db);
  });
  afterAll(() => t.drop());

  test("migrate: nothing changes, and the helpful indexes are only offered", async () => {
    const result = await migrate(t.db);
    expect(result.tradeRecords).toBe("bot");
    expect(result.tradeIndexesCreated).toEqual([]);
    expect(result.tradeIndexesOffered).toContain("trade_records_symbol_time_id_idx");
    expect(await tradeRecordsState(t.db)).toEqual(untouched);
    reviewer = await makeUser(t.db, "reviewer");
  });

  test("compute two versions: nothing changes; the sell is unmatched in both", async () => {
    expect((await run(t.db, 1)).status).toBe("succeeded");
    expect((await run(t.db, 2)).status).toBe("succeeded");
    expect(await unmatched(t.db, 1)).toBe("4.25");
    expect(await unmatched(t.db, 2)).toBe("4.25");
    expect(await tradeRecordsState(t.db)).toEqual(untouched);
  });

  test("record the missing buy: it goes into fifo_manual_trades; the other version's item shares it", async () => {
    const v1 = await item(t.db, 1);
    const recorded = await recordManualCostBasis(t.db, { id: v1.id, rowVersion: v1.row_version }, manualBuy, reviewer);
    expect(recorded.shared).toBe(false);
    expect(recorded.manual_trade_id).toBeGreaterThan(4_000_000_000_000_000);

    const v2 = await item(t.db, 2);
    const other = await recordManualCostBasis(t.db, { id: v2.id, rowVersion: v2.row_version }, { ...manualBuy, price: "999" }, reviewer)
      .catch((e: unknown) => e);
    expect(other).toBeInstanceOf(ReviewRefusedError);
    expect((other as ReviewRefusedError).message).toContain(`already has manual buy #${recorded.manual_trade_id}`);

    const shared = await recordManualCostBasis(t.db, { id: v2.id, rowVersion: v2.row_version }, manualBuy, reviewer);
    expect(shared).toMatchObject({ shared: true, manual_trade_id: recorded.manual_trade_id });
    expect(await liveManualBuys(t.db)).toEqual([{ id: recorded.manual_trade_id, sell_trade_id: ETH_SELL }]);
    expect(await tradeRecordsState(t.db)).toEqual(untouched);
  });

  test("recompute reads the manual buy with the bot's trades: both versions fully matched, once", async () => {
    await run(t.db, 1);
    await run(t.db, 2);
    expect(await unmatched(t.db, 1)).toBeNull();
    expect(await unmatched(t.db, 2)).toBeNull();
    const [lots] = await t.db.query<{ n: number; size: string }>(
      `SELECT count(*)::int AS n, sum(allocated_size)::text AS size FROM fifo_allocations a
       JOIN fifo_manual_trades m ON m.id = a.buy_trade_id WHERE a.allocation_version = 1`,
    );
    expect(lots).toEqual({ n: 1, size: "4.25" });
    expect(await sqlViolations(t.db, 1)).toEqual([]);
    expect(await tradeRecordsState(t.db)).toEqual(untouched);
  });

  test("validation checks the manual buys too (invariant 2)", async () => {
    await t.db.transaction(async (tx) => {
      await tx.query("UPDATE fifo_manual_trades SET size = '4' WHERE voided_at IS NULL");
      const violations = await sqlViolations(tx, 1);
      expect(violations).toEqual([
        expect.objectContaining({ invariant: 2, kind: "buy_overallocated", message: "allocated 4.25 > manual buy size 4" }),
      ]);
      throw new Error("roll back");
    }).catch((e: Error) => expect(e.message).toBe("roll back"));
  });

  test("reopening asks about the manual buy; keeping it and recording again never adds a second one", async () => {
    let v1 = await item(t.db, 1);
    const unanswered = await reopenReviewItem(t.db, { id: v1.id, rowVersion: v1.row_version }, { notes: "check the statement" }, reviewer)
      .catch((e: unknown) => e);
    expect((unanswered as ReviewRefusedError).fieldErrors?.manualBuy).toBe("Keep or void the manual buy");
    expect((await item(t.db, 1)).status).toBe("resolved");
    // Bulk reopening (which asks nothing) leaves such an item alone and says why.
    const bulk = await changeReviewItems(t.db, [{ id: v1.id, rowVersion: v1.row_version }], { action: "reopen", notes: "bulk" }, reviewer);
    expect(bulk.changed).toEqual([]);
    expect(bulk.skipped[0]!.reason).toContain(`recorded manual buy #${v1.manual_trade_id}: reopen it on its own page`);

    const kept = await reopenReviewItem(t.db, { id: v1.id, rowVersion: v1.row_version }, { notes: "check the statement", manualBuy: "keep" }, reviewer);
    expect(kept.manualBuy).toEqual({ id: v1.manual_trade_id, choice: "keep", sharedWithItems: 1 });
    v1 = await item(t.db, 1);
    const again = await recordManualCostBasis(t.db, { id: v1.id, rowVersion: v1.row_version }, manualBuy, reviewer);
    expect(again).toMatchObject({ shared: true, manual_trade_id: v1.manual_trade_id });
    expect(await liveManualBuys(t.db)).toHaveLength(1);
  });

  test("voiding on reopen takes the buy out of every version's next run; a new one can then be recorded", async () => {
    let v1 = await item(t.db, 1);
    const voided = await reopenReviewItem(t.db, { id: v1.id, rowVersion: v1.row_version }, { notes: "wrong statement", manualBuy: "void" }, reviewer);
    expect(voided.manualBuy?.choice).toBe("void");
    expect(await liveManualBuys(t.db)).toEqual([]);
    await run(t.db, 1);
    expect(await unmatched(t.db, 1)).toBe("4.25");

    v1 = await item(t.db, 1);
    const fresh = await recordManualCostBasis(t.db, { id: v1.id, rowVersion: v1.row_version }, { ...manualBuy, price: "1100" }, reviewer);
    expect(fresh.shared).toBe(false);
    expect(fresh.manual_trade_id).not.toBe(voided.manualBuy!.id);
    expect(await liveManualBuys(t.db)).toEqual([{ id: fresh.manual_trade_id, sell_trade_id: ETH_SELL }]);
    const [all] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM fifo_manual_trades");
    expect(all!.n).toBe(2); // the voided one is kept, with who voided it and why
    expect(await tradeRecordsState(t.db)).toEqual(untouched);
  });

  test("rollback keeps fifo_manual_trades; migrating again reads them; trade_records never changed", async () => {
    await rollbackFifo(t.db);
    expect(await tradeRecordsState(t.db)).toEqual(untouched);
    expect(await liveManualBuys(t.db)).toHaveLength(1);
    await migrate(t.db);
    expect((await run(t.db, 1)).status).toBe("succeeded");
    expect(await unmatched(t.db, 1)).toBeNull();
    expect(await tradeRecordsState(t.db)).toEqual(untouched);
  });
});

describe("--with-trade-indexes", () => {
  test("creates our indexes on the bot's table, records them, and rollback drops exactly those", async () => {
    const t = await createTestDatabase({ migrated: false });
    try {
      await t.db.exec(BOT_TRADE_RECORDS_SQL);
      const untouched = await tradeRecordsState(t.db);
      const result = await migrate(t.db, { withTradeIndexes: true });
      expect(result.tradeIndexesCreated).toContain("trade_records_symbol_time_id_idx");
      expect(result.tradeIndexesOffered).toEqual([]);
      const after = await tradeRecordsState(t.db);
      expect({ ...after, indexes: "" }).toEqual({ ...untouched, indexes: "" });
      expect(after.indexes).toContain("trade_records_symbol_time_id_idx");
      expect(after.indexes).toContain("trade_records_bot_time_idx");
      const recorded = await t.db.query<{ index_name: string }>("SELECT index_name FROM fifo_trade_indexes ORDER BY 1");
      expect(recorded.map((r) => r.index_name).sort()).toEqual([...result.tradeIndexesCreated].sort());

      expect((await migrate(t.db, { withTradeIndexes: true })).tradeIndexesCreated).toEqual([]);
      await rollbackFifo(t.db);
      expect(await tradeRecordsState(t.db)).toEqual(untouched);
    } finally {
      await t.drop();
    }
  });
});

describe("a database made by the earlier layout (manual buys inserted into trade_records)", () => {
  test("migrates forward: the manual buys move to fifo_manual_trades, none lost, a duplicate no longer counts twice", async () => {
    const t = await createTestDatabase({ migrated: true });
    try {
      // Back to the layout before 0013: no fifo_manual_trades, manual buys were rows of trade_records.
      await t.db.exec(`
        DROP VIEW fifo_trades; DROP TABLE fifo_manual_trades; DROP TABLE fifo_trade_indexes;
        DELETE FROM drizzle.__drizzle_migrations WHERE created_at = 1795566448672;
        INSERT INTO trade_records (id, symbol, side, size, price, fee_usd, order_time, source) VALUES
          (1, 'SOL-USD', 'sell', '3', '30', '0', '2025-03-05T00:00:00Z', 'bot'),
          (2, 'SOL-USD', 'buy', '3', '20', '0.3', '2025-03-01T00:00:00Z', 'manual'),
          (3, 'SOL-USD', 'buy', '3', '20', '0.3', '2025-03-01T00:00:00Z', 'manual');
        INSERT INTO manual_review_queue (id, allocation_version, trade_id, symbol, issue_type, severity, status, manual_trade_id)
          VALUES (1, 1, 1, 'SOL-USD', 'unmatched_sell', 'medium', 'resolved', 3);
        -- Recorded, reopened (the buy stayed), recorded again: the link now names only the second.
        INSERT INTO manual_review_history (item_id, action, from_status, to_status, actor_label, details) VALUES
          (1, 'resolved', 'pending', 'resolved', 'r@example.com', '{"manualTradeId": 2}'),
          (1, 'reopened', 'resolved', 'pending', 'r@example.com', '{}'),
          (1, 'resolved', 'pending', 'resolved', 'r@example.com', '{"manualTradeId": 3}');`);
      await migrate(t.db);
      const copied = await t.db.query<{ id: number; sell_trade_id: number | null; live: boolean }>(
        "SELECT id, sell_trade_id, voided_at IS NULL AS live FROM fifo_manual_trades ORDER BY id",
      );
      expect(copied).toEqual([
        { id: 2, sell_trade_id: 1, live: false },
        { id: 3, sell_trade_id: 1, live: true },
      ]);
      // Runs read the live one once and the duplicate not at all.
      const read = await t.db.query<{ id: number; source: string }>("SELECT id, source FROM fifo_trades WHERE id IN (2, 3)");
      expect(read).toEqual([{ id: 3, source: "manual" }]);
      expect((await computeAllocations(t.db, { version: 1, symbols: null, mode: "full", startedBy: "test" })).status).toBe("succeeded");
      const lots = await t.db.query("SELECT buy_trade_id, allocated_size FROM fifo_allocations WHERE allocation_version = 1");
      expect(lots).toEqual([{ buy_trade_id: 3, allocated_size: "3" }]);
      // trade_records holds the bot's fills again; the bot's rows themselves are untouched.
      expect(await t.db.query("SELECT id, source FROM trade_records ORDER BY id")).toEqual([{ id: 1, source: "bot" }]);
    } finally {
      await t.drop();
    }
  });
});
