// Version administration on a real database: the current version setting, the version list, the
// next version number, and deleting a version (refusals, what goes, what stays for the audit).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { SqlClient } from "@/db/sql-client";
import {
  currentVersionSetting,
  deleteVersion,
  listVersionDeletions,
  listVersionSummaries,
  nextVersionNumber,
  setCurrentVersion,
  VersionAdminError,
} from "@/db/queries/version-admin";
import { refreshReadModels } from "@/db/read-models";
import { createTestDatabase, type TestDatabase } from "../../helpers/database";

let t: TestDatabase;

/** A computed version as a run leaves it: log row, snapshot, allocation, unmatched sell, review item + history. */
async function computedVersion(db: SqlClient, version: number): Promise<number> {
  const [run] = await db.query<{ id: number }>(
    `INSERT INTO fifo_computation_log (allocation_version, mode, status, started_by, started_at, finished_at)
     VALUES ($1, 'full', 'succeeded', 'admin@example.com', now(), now()) RETURNING id`,
    [version],
  );
  const runId = run!.id;
  await db.query(
    `INSERT INTO fifo_inventory_snapshot (allocation_version, symbol, computation_id, last_trade_id, last_order_time, open_lots, open_size)
     VALUES ($1, 'BTC-USD', $2, 3, '2025-01-03Z', '[]', '0'), ($1, 'ETH-USD', $2, 5, '2025-01-02Z', '[]', '0')`,
    [version, runId],
  );
  await db.query(
    `INSERT INTO fifo_allocations (allocation_version, symbol, sell_trade_id, buy_trade_id, allocated_size, buy_price, sell_price,
       buy_fee_usd, sell_fee_usd, pnl_usd, buy_time, sell_time, computation_id)
     VALUES ($1, 'BTC-USD', 3, 1, '1', '100', '120', '0', '0', '20', '2025-01-01Z', '2025-01-03Z', $2),
            ($1, 'BTC-USD', 3, 2, '0.5', '110', '120', '0', '0', '5', '2025-01-02Z', '2025-01-03Z', $2)`,
    [version, runId],
  );
  await db.query(
    `INSERT INTO fifo_unmatched_sells (allocation_version, symbol, sell_trade_id, sell_size, matched_size, unmatched_size, sell_price, sell_time, computation_id)
     VALUES ($1, 'ETH-USD', 5, '2', '0', '2', '3100', '2025-01-02Z', $2)`,
    [version, runId],
  );
  const [item] = await db.query<{ id: number }>(
    `INSERT INTO manual_review_queue (allocation_version, trade_id, symbol, issue_type, severity, opened_by_computation_id)
     VALUES ($1, 5, 'ETH-USD', 'unmatched_sell', 'high', $2) RETURNING id`,
    [version, runId],
  );
  await db.query(
    `INSERT INTO manual_review_history (item_id, action, to_status, actor_label, computation_id) VALUES ($1, 'opened', 'pending', $2, $3)`,
    [item!.id, `run #${runId}`, runId],
  );
  return runId;
}

const partitionExists = async (name: string) =>
  (await t.db.query<{ ok: boolean }>("SELECT to_regclass($1) IS NOT NULL AS ok", [`public.${name}`]))[0]!.ok;

const count = async (table: string, version: number) =>
  (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE allocation_version = $1`, [version]))[0]!.n;

beforeAll(async () => {
  t = await createTestDatabase();
  await computedVersion(t.db, 1);
  await computedVersion(t.db, 2);
});
afterAll(() => t.drop());

describe("the current version", () => {
  test("is unset on a fresh database, then set and changed (upsert)", async () => {
    await t.db.query("DELETE FROM fifo_settings WHERE key = 'current_version'");
    expect(await currentVersionSetting(t.db)).toBeNull();
    await setCurrentVersion(t.db, 1);
    expect(await currentVersionSetting(t.db)).toBe(1);
    await setCurrentVersion(t.db, 2);
    expect(await currentVersionSetting(t.db)).toBe(2);
    const rows = await t.db.query("SELECT value FROM fifo_settings WHERE key = 'current_version'");
    expect(rows).toEqual([{ value: "2" }]);
  });

  test("cannot be a version without data", async () => {
    await expect(setCurrentVersion(t.db, 99)).rejects.toThrow("Version 99 has no computed data");
    expect(await currentVersionSetting(t.db)).toBe(2);
  });
});

describe("the version list", () => {
  test("shows each version's data, its last run and which one is current", async () => {
    const versions = await listVersionSummaries(t.db);
    expect(versions.map((v) => [v.allocation_version, v.symbols, Number(v.allocations), v.unmatched_sells, v.open_review_items, v.is_current])).toEqual([
      [2, 2, 2, 1, 1, true],
      [1, 2, 2, 1, 1, false],
    ]);
    expect(versions[0]!.last_run_status).toBe("succeeded");
    expect(versions[0]!.active_run_id).toBeNull();
  });

  test("a new version gets the next number above every version ever used", async () => {
    expect(await nextVersionNumber(t.db)).toBe(3);
  });
});

describe("deleting a version", () => {
  test("is refused for the current version", async () => {
    await expect(deleteVersion(t.db, 2, "admin@example.com")).rejects.toThrow(VersionAdminError);
    await expect(deleteVersion(t.db, 2, "admin@example.com")).rejects.toThrow("is the current version");
    expect(await count("fifo_allocations", 2)).toBe(2);
  });

  test("is refused while a run of that version is queued or running", async () => {
    const [run] = await t.db.query<{ id: number }>(
      "INSERT INTO fifo_computation_log (allocation_version, mode, status, started_by) VALUES (1, 'full', 'queued', 'x') RETURNING id",
    );
    await expect(deleteVersion(t.db, 1, "admin@example.com")).rejects.toThrow(`has run #${run!.id} queued`);
    expect(await count("fifo_allocations", 1)).toBe(2);
    await t.db.query("UPDATE fifo_computation_log SET status = 'cancelled' WHERE id = $1", [run!.id]);
  });

  test("removes the version's data, keeps its runs, and records who deleted it", async () => {
    // Both versions have read models, and each compares with the other.
    for (const version of [1, 2, 1]) await refreshReadModels(t.db, version, { force: true });
    expect(await partitionExists("dash_sell_pnl_v1")).toBe(true);
    expect(await count("dash_refresh_state", 1)).toBe(1);
    const runsBefore = await count("fifo_computation_log", 1);
    const result = await deleteVersion(t.db, 1, "admin@example.com");
    expect(result).toEqual({ version: 1, allocationsDeleted: 2, unmatchedSellsDeleted: 1, snapshotsDeleted: 2, reviewItemsDeleted: 1 });
    for (const table of ["fifo_allocations", "fifo_unmatched_sells", "fifo_inventory_snapshot", "manual_review_queue"]) {
      expect(await count(table, 1)).toBe(0);
    }
    const [history] = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM manual_review_history h JOIN fifo_computation_log c ON c.id = h.computation_id WHERE c.allocation_version = 1",
    );
    expect(history!.n).toBe(0);
    expect(await count("fifo_computation_log", 1)).toBe(runsBefore);
    // Version 2 is untouched.
    expect(await count("fifo_allocations", 2)).toBe(2);
    expect(await count("manual_review_queue", 2)).toBe(1);
    const [audit] = await listVersionDeletions(t.db);
    expect(audit).toMatchObject({ allocation_version: 1, deleted_by: "admin@example.com", review_items_deleted: 1 });
    expect((await listVersionSummaries(t.db)).map((v) => v.allocation_version)).toEqual([2]);
    const health = await t.db.query<{ allocation_version: number }>("SELECT allocation_version FROM v_allocation_health");
    expect(health.map((h) => h.allocation_version)).toEqual([2]);
    // The number is not reused.
    expect(await nextVersionNumber(t.db)).toBe(3);
    // Its read models are gone, and version 2's next refresh no longer compares with it.
    expect(await count("dash_refresh_state", 1)).toBe(0);
    for (const table of ["dash_sell_pnl", "dash_discrepancies", "dash_daily_pnl"]) {
      expect(await partitionExists(`${table}_v1`)).toBe(false);
      expect(await count(table, 1)).toBe(0);
    }
    const [pairs] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM dash_version_sell_diff WHERE 1 IN (version_hi, version_lo)");
    expect(pairs!.n).toBe(0);
    await refreshReadModels(t.db, 2, { force: true });
    const [state] = await t.db.query<{ steps: Record<string, number> }>("SELECT steps FROM dash_refresh_state WHERE allocation_version = 2");
    expect(Object.keys(state!.steps)).not.toContain("vs_v1");
    expect(await partitionExists("dash_sell_pnl_v2")).toBe(true);
  });

  test("without a setting, the newest version (what the dashboard shows as current) is refused too", async () => {
    await computedVersion(t.db, 3);
    await t.db.query("DELETE FROM fifo_settings WHERE key = 'current_version'");
    expect((await listVersionSummaries(t.db)).find((v) => v.is_current)?.allocation_version).toBe(3);
    await expect(deleteVersion(t.db, 3, "admin@example.com")).rejects.toThrow("Version 3 is the current version");
    expect((await deleteVersion(t.db, 2, "admin@example.com")).allocationsDeleted).toBe(2);
  });

  test("is refused for a version without data (already deleted)", async () => {
    await expect(deleteVersion(t.db, 1, "admin@example.com")).rejects.toThrow("Version 1 has no data to delete");
  });
});
