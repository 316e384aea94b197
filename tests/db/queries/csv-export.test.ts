// CSV exports: streamed through COPY with filters from a temp table, escaped per RFC 4180, the same
// rows and order as the table's page.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { allocationsPageData, exportTable } from "@/db/queries/dashboard-pages";
import { csvField, csvLine, csvStream, parseCsv } from "@/lib/table/csv";
import { createTestDatabase, usingRealServer, type TestDatabase } from "../../helpers/database";
import { insertFixture } from "./fixture";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await insertFixture(t.db);
});
afterAll(() => t.drop());

async function download(table: Parameters<typeof exportTable>[1], query: string) {
  const { header, rows, filename } = await exportTable(t.db, table, new URLSearchParams(query));
  const text = await new Response(csvStream(header, rows)).text();
  return { text, csv: parseCsv(text), filename };
}

describe("csv encoding", () => {
  test("fields are quoted only when needed, quotes doubled, formulas neutralized", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('Q,"X"')).toBe('"Q,""X"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField(null)).toBe("");
    expect(csvField("-21.5")).toBe("-21.5");
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvLine(["a", null, 3])).toBe("a,,3\r\n");
    expect(parseCsv('a,"b,""c"""\r\n1,2\r\n')).toEqual([["a", 'b,"c"'], ["1", "2"]]);
  });
});

describe("exports", () => {
  test("allocations: every filtered row, in the table's order, exact decimals", async () => {
    const { csv, filename } = await download("allocations", "version=1&symbol=BTC-USD&sort=pnl_usd.desc");
    expect(filename).toBe("allocations_v1_BTC-USD.csv");
    expect(csv[0]).toEqual([
      "allocation_version", "symbol", "sell_trade_id", "buy_trade_id", "allocated_size", "buy_price", "sell_price",
      "buy_fee_usd", "sell_fee_usd", "pnl_usd", "buy_time_utc", "sell_time_utc", "computation_id",
    ]);
    expect(csv.slice(1).map((r) => [r[2], r[3], r[9]])).toEqual([["4", "2", "28.5"], ["3", "1", "18"], ["3", "2", "4"]]);
    const page = await allocationsPageData(t.db, { version: "1", symbol: "BTC-USD", sort: "pnl_usd.desc" });
    expect(csv.slice(1).map((r) => r[9])).toEqual(page.page.rows.map((r) => r.pnlUsd));
  });

  test("a value that needs quoting survives the round trip", async () => {
    const { text, csv } = await download("trades", "version=1&sort=id.asc");
    expect(text).toContain('"Q,""X"""');
    expect(csv.filter((r) => r[1] === 'Q,"X"').map((r) => r[0])).toEqual(["7", "8"]);
    expect(csv[0]!.slice(-3)).toEqual(["new_pnl_usd_v1", "matched_size_v1", "unmatched_size_v1"]);
    expect(csv.find((r) => r[0] === "3")!.slice(-3)).toEqual(["22", "1.5", ""]);
    expect(csv).toHaveLength(1 + 8);
  });

  test("filters: date range, side, severity, type; nothing matched gives only the header", async () => {
    expect((await download("trades", "side=sell&from=2025-01-04&to=2025-01-10")).csv.slice(1).map((r) => r[0])).toEqual(["4", "8"]);
    expect((await download("unmatched", "version=1&severity=medium")).csv.slice(1).map((r) => r[1])).toEqual(["4"]);
    expect((await download("unmatched", "version=1&severity=critical")).csv).toHaveLength(1);
    const disc = await download("discrepancies", "version=1&type=pnl_difference&sort=trade_id.asc");
    expect(disc.csv.slice(1).map((r) => [r[3], r[8]])).toEqual([["3", "12"], ["4", "-21.5"], ["8", "1"]]);
    const pnl = await download("pnl", "version=2");
    expect(pnl.csv.slice(1).map((r) => [r[1], r[10]])).toEqual([["ETH-USD", "300"], ["BTC-USD", "50.5"], ['Q,"X"', "2"]]);
  });

  test("a filter value is data, never SQL", async () => {
    const { csv } = await download("trades", "symbol=BTC-USD'--&sort=id.asc");
    // an invalid symbol is dropped by the URL schema; a valid-looking odd one matches nothing
    expect(csv.length).toBe(9);
    expect((await download("trades", "symbol=NOPE-USD")).csv).toHaveLength(1);
  });

  test("many rows stream in batches, and stopping early releases the connection", async () => {
    await t.db.query(
      `INSERT INTO trade_records (symbol, side, size, price, fee_usd, order_time)
       SELECT 'BULK-USD', 'buy', 1, 1, 0, timestamptz '2024-01-01' + g * interval '1 second' FROM generate_series(1, 20000) g`,
    );
    const { csv } = await download("trades", "symbol=BULK-USD");
    expect(csv).toHaveLength(20001);
    const { header, rows } = await exportTable(t.db, "trades", new URLSearchParams("symbol=BULK-USD"));
    const reader = csvStream(header, rows).getReader();
    await reader.read();
    await reader.cancel();
    // the database still answers (the export's transaction ended)
    expect(await t.db.query("SELECT 1 AS ok")).toEqual([{ ok: 1 }]);
    if (usingRealServer) {
      const [row] = await t.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE 'COPY%'",
      );
      expect(row?.n).toBe(0);
    }
  });
});
