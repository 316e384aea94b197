// Which migration statements may touch trade_records: the guard db:migrate and the psql file share.
import { describe, expect, test } from "vitest";
import { classifyStatement, tradeIndexStatement } from "@/db/trade-records-guard";

describe("classifyStatement", () => {
  test.each([
    ['CREATE TABLE IF NOT EXISTS "trade_records" (\n"id" bigserial)', "create-trade-records"],
    ["-- ours only on a fresh database\nCREATE TABLE trade_records (id bigint)", "create-trade-records"],
    ['CREATE INDEX IF NOT EXISTS "trade_records_symbol_time_id_idx" ON "trade_records" USING btree ("symbol")', "trade-records-index"],
    ['CREATE UNIQUE INDEX x ON public.trade_records (id)', "trade-records-index"],
    ['ALTER TABLE "trade_records" ADD COLUMN IF NOT EXISTS "source" text', "trade-records-ddl"],
    ["COMMENT ON TABLE trade_records IS 'x'", "trade-records-ddl"],
    // Reading trade_records, or a table whose name merely starts with it, is not touching it.
    ["CREATE OR REPLACE VIEW v AS SELECT * FROM trade_records", "plain"],
    ['CREATE INDEX "i" ON "trade_records_base" ("id")', "plain"],
    ["CREATE TABLE trade_records_archive (id bigint)", "plain"],
    ['CREATE INDEX "fifo_allocations_buy_idx" ON "fifo_allocations" ("buy_trade_id")', "plain"],
  ])("%s -> %s", (statement, kind) => {
    expect(classifyStatement(statement)).toBe(kind);
  });

  test("a migration that writes trade_records rows is refused outright", () => {
    expect(() => classifyStatement("UPDATE trade_records SET status = 'filled'")).toThrow(/never write trade_records rows/);
    expect(() => classifyStatement('INSERT INTO "trade_records" (id) VALUES (1)')).toThrow(/never write trade_records rows/);
  });
});

test("an opted-into index is made idempotent and named", () => {
  expect(tradeIndexStatement('CREATE INDEX "dash_trade_records_time_idx" ON "trade_records" ("order_time");')).toEqual({
    name: "dash_trade_records_time_idx",
    sql: 'CREATE INDEX IF NOT EXISTS "dash_trade_records_time_idx" ON "trade_records" ("order_time")',
  });
});
