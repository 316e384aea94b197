// npm run db:seed as a user runs it, on the real server (TEST_DATABASE_URL) or embedded PGlite.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runScript } from "../helpers/cli";
import { createCliDatabase, type CliDatabase } from "../helpers/cli-database";

let target: CliDatabase;
beforeAll(async () => {
  target = await createCliDatabase();
});
afterAll(() => target.drop());

const count = () =>
  target.use(async (db) => {
    const [row] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM trade_records");
    return row!.n;
  });

describe("db:seed", { timeout: 180_000 }, () => {
  test("bad arguments: a clear message, the usage, a non-zero exit, no database opened", async () => {
    const result = await runScript("db-seed.ts", ["--trades", "lots"], { env: target.env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--trades must be a whole number, got "lots"');
    expect(result.stderr).toContain("Usage: npm run db:seed -- --trades N");
    const missing = await runScript("db-seed.ts", ["--symbols", "4"], { env: target.env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--trades N is required");
  });

  test("refuses an unmigrated database and says to run db:migrate", async () => {
    const result = await runScript("db-seed.ts", ["--trades", "100"], { env: target.env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/not migrated.*npm run db:migrate/);
  });

  test("seeds a migrated database, with progress on stderr and a summary", async () => {
    expect((await runScript("db-migrate.ts", [], { env: target.env })).code).toBe(0);
    const result = await runScript("db-seed.ts", ["--trades", "3000", "--symbols", "4", "--seed", "11"], { env: target.env });
    expect(result.stderr).toMatch(/seeding: 3,000 \/ 3,000 rows \(100%\), [\d,]+ rows\/s/);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Seeded 3,000 trades into trade_records in [\d.]+ s/);
    expect(result.stdout).toMatch(/symbols: +4/);
    expect(result.stdout).toMatch(/buys: +[\d,]+/);
    expect(result.stdout).toMatch(/sells: +[\d,]+/);
    expect(result.stdout).toMatch(/unusable: +\d+ rows/);
    expect(result.stdout).toMatch(/old system: +[\d,]+ sells with parent_id and pnl_usd, [\d,]+ with NULL/);
    expect(await count()).toBe(3000);
  });

  test("refuses to add to a table with rows without --append, and appends with it", async () => {
    const refused = await runScript("db-seed.ts", ["--trades", "100"], { env: target.env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("trade_records already has rows");
    expect(refused.stderr).toContain("--append");
    expect(await count()).toBe(3000);

    const appended = await runScript("db-seed.ts", ["--trades", "200", "--append"], { env: target.env });
    expect(appended.code).toBe(0);
    expect(appended.stdout).toContain("ids:          3,001 .. 3,200 (appended to 3,000 existing rows)");
    expect(await count()).toBe(3200);
  });
});
