// The seed's own path: drizzle/psql/*.sql run with the real psql binary on a bot-shaped
// trade_records (with a column and an index of the bot's own). The files print the seed's
// "Expected output", are idempotent, give the same schema as db:migrate, mix with it in both
// directions, roll back only on YES, and never change trade_records.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { migrate } from "@/db/migrations";
import { FORWARD_FILE, ROLLBACK_FILE, psqlFiles } from "@/db/psql-files";
import { computeAllocations } from "@/lib/compute/run-computation";
import { runScript } from "../helpers/cli";
import { createTestDatabase, usingRealServer, type TestDatabase } from "../helpers/database";
import { PSQL_DIR, catalogLines, runPsqlFile } from "../helpers/psql";
import { BOT_TRADE_RECORDS_SQL, tradeRecordsState } from "../helpers/trade-records-state";

test("drizzle/psql/ is generated from the current drizzle/ (run npm run db:psql-files when this fails)", () => {
  for (const file of psqlFiles()) {
    expect(fs.readFileSync(path.join(PSQL_DIR, file.name), "utf8"), file.name).toBe(file.text);
  }
});

const SEED_EXPECTED_OUTPUT = [
  "FIFO ALLOCATIONS MIGRATION - Part 1: Creating New Tables",
  "✅ fifo_allocations table created",
  "✅ fifo_computation_log table created",
  "✅ fifo_inventory_snapshot table created",
  "✅ manual_review_queue table created",
  "FIFO ALLOCATIONS MIGRATION - Part 2: Creating Views",
  "✅ v_allocation_health view created",
  "✅ v_unmatched_sells view created",
  "✅ v_pnl_by_symbol view created",
  "✅ v_allocation_discrepancies view created",
  "FIFO ALLOCATIONS MIGRATION - Part 3: Historical Data Snapshot",
  "✅ Historical snapshot created: historical_pnl_snapshot_20251120",
  "   Rows preserved: 3",
  "FIFO ALLOCATIONS MIGRATION COMPLETE",
];

/** The seed's lines, in the seed's order (our extra lines may sit between them). */
function expectInOrder(stdout: string, lines: string[]) {
  let from = 0;
  for (const line of lines) {
    // A line ending in a space is a prefix (the rest varies); any other must end there.
    const at = stdout.indexOf(line.endsWith(" ") ? line : `${line}\n`, from);
    expect(at, `"${line}" after offset ${from} in:\n${stdout}`).toBeGreaterThanOrEqual(0);
    from = at + line.length;
  }
}

describe.skipIf(!usingRealServer)("the psql files on a bot database", () => {
  let viaPsql: TestDatabase;
  let viaMigrate: TestDatabase;

  beforeAll(async () => {
    viaPsql = await createTestDatabase({ migrated: false });
    viaMigrate = await createTestDatabase({ migrated: false });
    await viaPsql.db.exec(BOT_TRADE_RECORDS_SQL);
    await viaMigrate.db.exec(BOT_TRADE_RECORDS_SQL);
  });
  afterAll(async () => {
    await viaPsql?.drop();
    await viaMigrate?.drop();
  });

  test("the forward file prints the seed's Expected output and leaves trade_records byte-identical", async () => {
    const before = await tradeRecordsState(viaPsql.db);
    const result = await runPsqlFile(viaPsql.url!, FORWARD_FILE);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expectInOrder(result.stdout, SEED_EXPECTED_OUTPUT);
    expect(result.stdout).toContain("✅ trade_records: the bot's table, left exactly as it was");
    expect(await tradeRecordsState(viaPsql.db)).toEqual(before);
  });

  test("a second run succeeds and says what already existed", async () => {
    const before = await catalogLines(viaPsql.db);
    const result = await runPsqlFile(viaPsql.url!, FORWARD_FILE);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expectInOrder(result.stdout, [
      "✅ fifo_allocations table already exists (kept)",
      "✅ v_allocation_discrepancies view already exists (kept)",
      "✅ Historical snapshot kept: historical_pnl_snapshot_20251120 (taken ",
      "   Rows preserved: 3",
    ]);
    expect(await catalogLines(viaPsql.db)).toEqual(before);
  });

  test("psql and db:migrate produce the same schema (catalog compared)", async () => {
    const before = await tradeRecordsState(viaMigrate.db);
    await migrate(viaMigrate.db);
    expect(await tradeRecordsState(viaMigrate.db)).toEqual(before);
    expect(await catalogLines(viaMigrate.db)).toEqual(await catalogLines(viaPsql.db));
  });

  test("db:migrate continues a psql-migrated database, and the psql file a db:migrate-migrated one", async () => {
    const cli = await runScript("db-migrate.ts", [], { env: { DATABASE_URL: viaPsql.url!, PGLITE_DIR: undefined } });
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain("Nothing to apply: the database was already up to date.");
    const psql = await runPsqlFile(viaMigrate.url!, FORWARD_FILE);
    expect(psql.code).toBe(0);
    expect(psql.stdout).toContain("✅ fifo_allocations table already exists (kept)");
    expect(psql.stdout).not.toMatch(/table created/);
  });

  for (const answer of ["", "no", "yes", "YES please"]) {
    test(`the rollback file changes nothing for the answer ${JSON.stringify(answer)}`, async () => {
      const before = await catalogLines(viaPsql.db);
      const result = await runPsqlFile(viaPsql.url!, ROLLBACK_FILE, `${answer}\n`);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("Type YES (all caps) to continue:");
      expect(result.stdout).toContain("Rollback aborted: nothing was changed.");
      expect(await catalogLines(viaPsql.db)).toEqual(before);
    });
  }

  test("YES rolls back with psql; trade_records, the snapshot and the manual buys stay; db:migrate brings it back", async () => {
    const trades = await tradeRecordsState(viaPsql.db);
    // A psql-migrated database computes like any other, without touching trade_records.
    const run = await computeAllocations(viaPsql.db, { version: 1, symbols: null, mode: "full", startedBy: "test" });
    expect(run.status).toBe("succeeded");
    expect(await tradeRecordsState(viaPsql.db)).toEqual(trades);
    const result = await runPsqlFile(viaPsql.url!, ROLLBACK_FILE, "YES\n");
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("✅ Rollback complete.");
    const left = await viaPsql.db.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    );
    expect(left.map((r) => r.name)).toEqual([
      "app_sessions", "app_sign_in_attempts", "app_user_changes", "app_users", "fifo_manual_trades", "historical_pnl_snapshot_20251120", "trade_records",
    ]);
    expect(await tradeRecordsState(viaPsql.db)).toEqual(trades);
    await migrate(viaPsql.db);
    expect(await catalogLines(viaPsql.db)).toEqual(await catalogLines(viaMigrate.db));
    expect(await tradeRecordsState(viaPsql.db)).toEqual(trades);
  });
});

describe.skipIf(!usingRealServer)("the psql files on an empty database", () => {
  test("they create trade_records too, with the same schema as db:migrate", async () => {
    const a = await createTestDatabase({ migrated: false });
    const b = await createTestDatabase({ migrated: false });
    try {
      const result = await runPsqlFile(a.url!, FORWARD_FILE);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("✅ trade_records table created (this database had none)");
      expect(result.stdout).toContain("   Rows preserved: 0");
      await migrate(b.db);
      expect(await catalogLines(a.db)).toEqual(await catalogLines(b.db));
    } finally {
      await a.drop();
      await b.drop();
    }
  });
});

describe.skipIf(!usingRealServer)("a bot table without a column the tool needs", () => {
  test("psql and db:migrate stop, name the columns, and create nothing", async () => {
    const t = await createTestDatabase({ migrated: false });
    try {
      await t.db.exec(
        "CREATE TABLE trade_records (id bigserial PRIMARY KEY, symbol text, side text, size numeric, price numeric, order_time timestamptz, parent_id bigint, pnl_usd numeric)",
      );
      const result = await runPsqlFile(t.url!, FORWARD_FILE);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain("trade_records lacks the column(s) this tool needs: fee_usd, status, remaining_size");
      const cli = await runScript("db-migrate.ts", [], { env: { DATABASE_URL: t.url!, PGLITE_DIR: undefined } });
      expect(cli.code).toBe(1);
      expect(cli.stderr).toContain("fee_usd, status, remaining_size");
      const [ours] = await t.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'trade_records'",
      );
      expect(ours!.n).toBe(0);
    } finally {
      await t.drop();
    }
  });
});
