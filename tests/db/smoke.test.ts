import { afterAll, beforeAll, expect, test } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

test("views answer on an empty migrated database", async () => {
  for (const v of ["v_allocation_health", "v_unmatched_sells", "v_pnl_by_symbol", "v_allocation_discrepancies"]) {
    expect(await t.db.query(`SELECT * FROM ${v}`)).toEqual([]);
  }
});
