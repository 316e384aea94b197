// Read-model answers kept in memory between page views (issue 10, the load figure): served again
// while the version is unchanged, read afresh after a run changes it.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { comparePageData, overviewPageData } from "@/db/queries/dashboard-pages";
import { cachedReadModel } from "@/db/read-model-cache";
import { computeAllocations } from "@/lib/compute/run-computation";
import { createTestDatabase, type TestDatabase } from "../../helpers/database";
import { insertSyntheticTrades, insertTrades } from "../../helpers/trades";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await insertSyntheticTrades(t.db, 300, 3);
  expect((await computeAllocations(t.db, { version: 1, symbols: null, mode: "full", startedBy: "test" })).status).toBe("succeeded");
});
afterAll(() => t.drop());

describe("cachedReadModel", () => {
  test("one read per key and stamps; a new stamp reads again; a null stamp never keeps the answer", async () => {
    let reads = 0;
    const load = async () => ++reads;
    expect(await cachedReadModel(t.db, "k", ["1:3"], load)).toBe(1);
    expect(await cachedReadModel(t.db, "k", ["1:3"], load)).toBe(1);
    expect(await cachedReadModel(t.db, "k", ["2:3"], load)).toBe(2);
    expect(await cachedReadModel(t.db, "other", ["2:3"], load)).toBe(3);
    expect(await cachedReadModel(t.db, "k", [null], load)).toBe(4);
    expect(await cachedReadModel(t.db, "k", [null], load)).toBe(5);
  });

  test("a failed read is not kept", async () => {
    let calls = 0;
    const load = async () => {
      calls++;
      if (calls === 1) throw new Error("boom");
      return "ok";
    };
    await expect(cachedReadModel(t.db, "failing", ["1:1"], load)).rejects.toThrow("boom");
    expect(await cachedReadModel(t.db, "failing", ["1:1"], load)).toBe("ok");
  });

  test("another database's answer at the same key and stamps is never served", async () => {
    const other = await createTestDatabase();
    try {
      expect(await cachedReadModel(t.db, "shared", ["1:1"], async () => "first database")).toBe("first database");
      expect(await cachedReadModel(other.db, "shared", ["1:1"], async () => "second database")).toBe("second database");
    } finally {
      await other.drop();
    }
  });
});

describe("compare and overview pages after a run", () => {
  test("show the new figures at once: the run changes the stamp the kept answers were read at", async () => {
    const before = await comparePageData(t.db, {});
    expect(await comparePageData(t.db, {})).toEqual(before);
    const top = (await overviewPageData(t.db)).topSymbols;

    // A large new sell of the first symbol changes its realized PnL.
    const symbol = before.bySymbol[0]!.symbol;
    await insertTrades(t.db, [
      { symbol, side: "buy", size: "5", price: "10", time: "2031-01-01T00:00:00Z" },
      { symbol, side: "sell", size: "5", price: "1000", time: "2031-01-02T00:00:00Z" },
    ]);
    expect((await computeAllocations(t.db, { version: 1, symbols: null, mode: "incremental", startedBy: "test" })).status).toBe("succeeded");

    const after = await comparePageData(t.db, {});
    const row = (data: typeof before) => data.bySymbol.find((r) => r.symbol === symbol)!;
    expect(row(after).targetUsd).not.toBe(row(before).targetUsd);
    expect(after.largest).not.toEqual(before.largest);
    expect((await overviewPageData(t.db)).topSymbols).not.toEqual(top);
  });
});
