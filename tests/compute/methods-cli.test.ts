// --method on compute-allocations, validate-allocations against a version's own method, and
// npm run tax-report, as an operator runs them: exit codes, messages, and the report's sums.
import Big from "big.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { migrate } from "@/db/migrations";
import { parseCsv } from "@/lib/table/csv";
import { createCliDatabase, type CliDatabase } from "../helpers/cli-database";
import { runScript } from "../helpers/cli";
import { insertSyntheticTrades, insertTrades } from "../helpers/trades";

let target: CliDatabase;
const compute = (...args: string[]) => runScript("compute-allocations.ts", args, { env: target.env });
const validate = (...args: string[]) => runScript("validate-allocations.ts", args, { env: target.env });
const taxReport = (...args: string[]) => runScript("tax-report.ts", args, { env: target.env });

beforeAll(async () => {
  target = await createCliDatabase();
  await target.use(async (db) => {
    await migrate(db);
    await insertSyntheticTrades(db, 3000, 3); // January 2024
    // Held across a year: lot 1 2023-01-01 @ 100, lot 2 2023-06-01 @ 200; sold on the
    // anniversary date (short) and the day after (long).
    await insertTrades(db, [
      { symbol: "TAX-USD", side: "buy", size: "1", price: "100", fee: "1", time: "2023-01-01T10:00:00Z" },
      { symbol: "TAX-USD", side: "buy", size: "1", price: "200", fee: "2", time: "2023-06-01T00:00:00Z" },
      { symbol: "TAX-USD", side: "sell", size: "0.5", price: "300", fee: "0.3", time: "2024-01-01T23:00:00Z" },
      { symbol: "TAX-USD", side: "sell", size: "1", price: "50", fee: "0.1", time: "2024-01-02T00:00:00Z" },
    ]);
  });
}, 120_000);
afterAll(() => target.drop());

describe("compute-allocations --method", () => {
  test("a FIFO and a HIFO version side by side; asking a version for another method is refused", async () => {
    expect((await compute("--all-symbols", "--version", "1")).code).toBe(0);
    const hifo = await compute("--all-symbols", "--version", "2", "--method", "hifo");
    expect(hifo.stderr).not.toMatch(/error/i);
    expect(hifo.code).toBe(0);
    expect(hifo.stdout).toMatch(/lot selection:\s+HIFO/);
    const refused = await compute("--all-symbols", "--version", "2", "--method", "lifo");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/refused\. Version 2 is computed with HIFO; it cannot be recomputed with LIFO/);
    const again = await compute("--all-symbols", "--version", "2", "--incremental");
    expect(again.code).toBe(0);
    const bad = await compute("--all-symbols", "--version", "3", "--method", "fastest");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--method must be fifo, lifo or hifo/);
    const methods = await target.use((db) => db.query("SELECT allocation_version, method FROM fifo_version_methods ORDER BY 1"));
    expect(methods).toEqual([{ allocation_version: 1, method: "fifo" }, { allocation_version: 2, method: "hifo" }]);
  }, 120_000);

  test("validate-allocations checks the HIFO version against HIFO", async () => {
    const check = await validate("--version", "2");
    expect(check.stdout).toMatch(/Version 2 \(HIFO\)/);
    expect(check.stdout).toContain("All invariants hold.");
    expect(check.code).toBe(0);
  }, 120_000);
});

describe("tax-report", () => {
  test("bad arguments exit 2; a version never computed exits 4", async () => {
    expect((await taxReport("--version", "1")).code).toBe(2);
    expect((await taxReport("--version", "1", "--year", "nineteen")).code).toBe(2);
    const missing = await taxReport("--version", "9", "--year", "2024");
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/version 9 has not been computed/);
  }, 60_000);

  for (const version of [1, 2]) {
    test(`version ${version}: lots and totals sum exactly to the realized PnL sold in the year`, async () => {
      const report = await taxReport("--version", String(version), "--year", "2024");
      expect(report.code).toBe(0);
      const [header, ...rows] = parseCsv(report.stdout);
      expect(header).toEqual(["row", "symbol", "term", "size", "acquired_at", "sold_at", "proceeds_usd", "cost_basis_usd", "gain_usd", "sell_trade_id", "buy_trade_id"]);
      const col = (name: string) => header!.indexOf(name);
      const lots = rows.filter((r) => r[0] === "lot");
      const totals = rows.filter((r) => r[0] === "total");
      const [expected] = await target.use((db) =>
        db.query<{ n: number; pnl: string }>(
          `SELECT count(*)::int AS n, sum(pnl_usd)::text AS pnl FROM fifo_allocations
           WHERE allocation_version = $1 AND sell_time >= '2024-01-01T00:00:00Z' AND sell_time < '2025-01-01T00:00:00Z'`,
          [version],
        ),
      );
      expect(lots).toHaveLength(expected!.n);
      const sum = (rs: string[][], c: string) => rs.reduce((s, r) => s.plus(r[col(c)]!), new Big(0));
      expect(sum(lots, "gain_usd").eq(expected!.pnl)).toBe(true);
      for (const lot of lots) expect(new Big(lot[col("proceeds_usd")]!).minus(lot[col("cost_basis_usd")]!).eq(lot[col("gain_usd")]!)).toBe(true);
      const grand = totals.find((r) => r[1] === "ALL" && r[2] === "all")!;
      expect(new Big(grand[col("gain_usd")]!).eq(expected!.pnl)).toBe(true);
      for (const total of totals.filter((r) => r[1] !== "ALL")) {
        const group = lots.filter((r) => r[1] === total[1] && r[2] === total[2]);
        for (const c of ["size", "proceeds_usd", "cost_basis_usd", "gain_usd"]) expect(sum(group, c).eq(total[col(c)]!)).toBe(true);
      }
      // Worked by hand: the anniversary date is short term, the day after long.
      const tax = lots.filter((r) => r[1] === "TAX-USD").map((r) => [r[col("acquired_at")]!.slice(0, 10), r[col("sold_at")]!.slice(0, 10), r[col("size")], r[2], r[col("gain_usd")]]);
      expect(tax).toEqual(
        version === 1
          ? [
              ["2023-01-01", "2024-01-01", "0.5", "short", "99.2"], //   0.5 x (300 - 100) - 0.5 - 0.3
              ["2023-01-01", "2024-01-02", "0.5", "long", "-25.55"], //  0.5 x (50 - 100) - 0.5 - 0.05
              ["2023-06-01", "2024-01-02", "0.5", "short", "-76.05"], // 0.5 x (50 - 200) - 1 - 0.05
            ]
          : [
              ["2023-06-01", "2024-01-01", "0.5", "short", "48.7"], //   0.5 x (300 - 200) - 1 - 0.3
              ["2023-01-01", "2024-01-02", "0.5", "long", "-25.55"],
              ["2023-06-01", "2024-01-02", "0.5", "short", "-76.05"],
            ],
      );
    }, 60_000);
  }
});
