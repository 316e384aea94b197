// The runs history pages by keyset: Older (after the last run shown) to the end and Newer (before
// the first run shown) back give the whole history newest first, filters included.
import { afterAll, beforeAll, expect, test } from "vitest";
import { listRuns } from "@/db/queries/runs";
import { createTestDatabase, type TestDatabase } from "../../helpers/database";

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
  await t.db.query(
    `INSERT INTO fifo_computation_log (allocation_version, status, started_by, started_at, finished_at)
     SELECT 1 + n % 2, CASE WHEN n % 3 = 0 THEN 'failed' ELSE 'succeeded' END, 'test', now(), now()
     FROM generate_series(1, 130) n`,
  );
});
afterAll(() => t.drop());

for (const filter of [{}, { version: 2 }, { status: "succeeded" as const }]) {
  test(`Older to the end and Newer back: the whole history (${JSON.stringify(filter)})`, async () => {
    const pageSize = 25;
    const all = (await listRuns(t.db, { ...filter, pageSize: 200 })).rows.map((r) => r.id);
    expect(all.length).toBeGreaterThan(pageSize * 2);
    expect(all).toEqual([...all].sort((a, b) => b - a));
    const pages: number[][] = [];
    let current = await listRuns(t.db, { ...filter, pageSize });
    pages.push(current.rows.map((r) => r.id));
    while (pages.flat().length < current.total) {
      current = await listRuns(t.db, { ...filter, pageSize, page: current.page + 1, after: current.rows.at(-1)!.id });
      pages.push(current.rows.map((r) => r.id));
    }
    expect(pages.flat()).toEqual(all);
    const back: number[][] = [current.rows.map((r) => r.id)];
    while (current.page > 1) {
      current = await listRuns(t.db, { ...filter, pageSize, page: current.page - 1, before: current.rows[0]!.id });
      back.unshift(current.rows.map((r) => r.id));
    }
    expect(back.flat()).toEqual(all);
  });
}

test("Newer close to the start shows the whole first page; a page number alone still works", async () => {
  const all = (await listRuns(t.db, { pageSize: 200 })).rows.map((r) => r.id);
  const back = await listRuns(t.db, { pageSize: 25, page: 2, before: all[5]! });
  expect(back.page).toBe(1);
  expect(back.rows.map((r) => r.id)).toEqual(all.slice(0, 25));
  expect((await listRuns(t.db, { pageSize: 25, page: 3 })).rows.map((r) => r.id)).toEqual(all.slice(50, 75));
});
