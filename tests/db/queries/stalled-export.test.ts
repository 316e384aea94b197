// A CSV download the client stops reading must hold nothing: no transaction (on PGlite that would
// block every other request), no pooled connection (on PostgreSQL ten stalled downloads would hang
// the app). Three stalled exports run while the pages' queries, a review of the data and a run all
// answer; the keyset chunks give exactly the rows and order of one big query, NULLs included.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { keysetRows } from "@/db/queries/copy-export";
import { allocationsPageData, exportTable, tradesPageData, unmatchedPageData } from "@/db/queries/dashboard-pages";
import { createPostgresClient } from "@/db/postgres-client";
import type { SqlClient } from "@/db/sql-client";
import { computeAllocations } from "@/lib/compute/run-computation";
import { createTestDatabase, usingRealServer, type TestDatabase } from "../../helpers/database";
import { insertSyntheticTrades } from "../../helpers/trades";

let t: TestDatabase;
/** The app's pool: on a real server deliberately small (a run needs 4), so a pinned connection would show. */
let app: SqlClient;

beforeAll(async () => {
  t = await createTestDatabase();
  await insertSyntheticTrades(t.db, 6000, 3);
  await computeAllocations(t.db, { version: 1, symbols: null, mode: "full", startedBy: "test" });
  app = usingRealServer ? createPostgresClient(t.url!, { max: 4, connectTimeoutMs: 3000 }) : t.db;
}, 120_000);
afterAll(async () => {
  if (app !== t.db) await app.close();
  await t.drop();
});

/** Starts an export and reads its first row, then stops reading: a paused browser download. */
async function stalledExport(table: "trades" | "allocations", query: string) {
  const { rows } = await exportTable(app, table, new URLSearchParams(query));
  const iterator = rows[Symbol.asyncIterator]();
  expect((await iterator.next()).done).toBe(false);
  return iterator;
}

const within = <T>(ms: number, work: Promise<T>): Promise<T> =>
  Promise.race([work, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms))]);

describe("stalled downloads", () => {
  test("three paused exports: every page's data still answers, and a run still commits", async () => {
    const stalled = [
      await stalledExport("trades", "sort=id.asc"),
      await stalledExport("trades", "side=sell&sort=order_time.desc"),
      await stalledExport("allocations", "version=1&sort=pnl_usd.desc"),
    ];
    for (let i = 0; i < 3; i++) {
      const pages = await within(
        15_000,
        Promise.all([
          tradesPageData(app, { sort: "id.desc" }),
          allocationsPageData(app, { version: "1" }),
          unmatchedPageData(app, { version: "1" }),
          app.query("SELECT count(*)::int AS n FROM trade_records"),
        ]),
      );
      expect(pages[0].page.rows.length).toBeGreaterThan(0);
    }
    const run = await within(60_000, computeAllocations(app, { version: 2, symbols: null, mode: "full", startedBy: "test" }));
    expect(run.status).toBe("succeeded");
    // The paused downloads resume and finish with every row.
    let count = 1;
    for (let next = await stalled[0]!.next(); !next.done; next = await stalled[0]!.next()) count++;
    expect(count).toBe(6000);
    for (const iterator of stalled.slice(1)) await iterator.return?.();
  }, 120_000);
});

describe("keyset chunks", () => {
  test("give the rows and order of one query, with NULLs in the first key, both directions, over many chunks", async () => {
    await t.db.exec(`CREATE TABLE keyset_probe AS
      SELECT g AS id, CASE WHEN g % 7 = 0 THEN NULL ELSE (g * 37) % 50 END AS score, 'r' || g AS label
      FROM generate_series(1, 1300) g`);
    for (const dir of ["asc", "desc"] as const) {
      const expected = await t.db.query<{ id: string; score: string | null; label: string }>(
        `SELECT id::text, score::text, label FROM keyset_probe ORDER BY keyset_probe.score ${dir}, keyset_probe.id ${dir}`,
      );
      const rows: (string | null)[][] = [];
      const query = { from: "FROM keyset_probe", columns: () => ["id", "score", "label"], conditions: () => [], keys: ["score", "id"], dir };
      for await (const row of keysetRows(t.db, query, { firstChunk: 50, maxChunk: 200 })) rows.push(row);
      expect(rows).toEqual(expected.map((r) => [r.id, r.score, r.label]));
    }
  });
});
