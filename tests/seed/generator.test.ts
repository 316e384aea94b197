// The pure generator: reproducible, realistic in shape, with the old system's flaws.
import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import { parseSeedArgs } from "@/lib/seed/cli-args";
import { generateHistory, type SeedRow } from "@/lib/seed/generate";
import { HISTORY_END_MS, HISTORY_START_MS } from "@/lib/seed/market";
import { symbolUniverse } from "@/lib/seed/symbols";

function history(trades: number, symbols?: number, seed?: number) {
  const h = generateHistory({ trades, symbols, seed });
  const rows = [...h.rows].sort((a, b) => a.id - b.id);
  return { rows, stats: h.stats };
}

function checksum(rows: SeedRow[]): string {
  const hash = createHash("sha256");
  for (const row of rows) hash.update(JSON.stringify(row) + "\n");
  return hash.digest("hex");
}

const decimals = (text: string) => (text.split(".")[1] ?? "").length;

describe("reproducible", () => {
  test("the same seed gives byte-identical rows, another seed different ones", () => {
    const a = history(3000, 8, 42);
    const b = history(3000, 8, 42);
    const c = history(3000, 8, 43);
    expect(checksum(a.rows)).toBe(checksum(b.rows));
    expect(checksum(c.rows)).not.toBe(checksum(a.rows));
    expect(a.stats).toEqual(b.stats);
  });
});

describe("a 10,000-trade history", () => {
  const { rows, stats } = history(10_000);
  const usable = rows.filter((r) => r.status === "filled" && (r.side === "buy" || r.side === "sell") && r.size !== "0" && !r.price.startsWith("-"));
  const unusable = rows.filter((r) => !usable.includes(r));

  test("has every id once, all rows from the bot", () => {
    expect(rows.map((r) => r.id)).toEqual(Array.from({ length: 10_000 }, (_, i) => i + 1));
    expect(new Set(rows.map((r) => r.source))).toEqual(new Set(["bot"]));
    expect(stats).toMatchObject({ trades: 10_000, firstId: 1, lastId: 10_000 });
    expect(stats.buys + stats.sells + stats.unusable).toBe(10_000);
  });

  test("trades 8 symbols on both sides, with realistic price magnitudes", () => {
    expect(new Set(rows.map((r) => r.symbol))).toEqual(new Set(symbolUniverse(8).map((s) => s.symbol)));
    expect(stats.buys).toBeGreaterThan(stats.sells);
    expect(stats.sells).toBeGreaterThan(2000);
    const prices = (symbol: string) => usable.filter((r) => r.symbol === symbol).map((r) => Number(r.price)); // display only
    expect(Math.min(...prices("BTC-USD"))).toBeGreaterThan(15_000);
    expect(Math.max(...prices("BTC-USD"))).toBeLessThan(250_000);
    expect(Math.min(...prices("DOGE-USD"))).toBeGreaterThan(0.02);
    expect(Math.max(...prices("DOGE-USD"))).toBeLessThan(0.5);
  });

  test("sizes have at most 8 decimals, fees are ~0.1% of notional in cents or 6 decimals", () => {
    for (const r of usable) {
      expect(decimals(r.size)).toBeLessThanOrEqual(8);
      expect(Number(r.size)).toBeGreaterThan(0);
      expect([0, 1, 2, 3, 4, 5, 6]).toContain(decimals(r.feeUsd));
      const notional = Number(r.size) * Number(r.price);
      expect(Number(r.feeUsd)).toBeLessThanOrEqual(notional * 0.0015 + 0.005);
    }
    const withFee = usable.filter((r) => r.feeUsd !== "0");
    expect(withFee.length).toBeGreaterThan(usable.length * 0.8);
  });

  test("a small share of unusable rows of every kind", () => {
    expect(unusable.length).toBe(stats.unusable);
    expect(stats.unusable).toBe(5);
    for (const r of unusable) {
      const reasons = [r.size === "0", r.price.startsWith("-"), r.side === "hold", r.status === "cancelled", r.status === "weird"];
      expect(reasons.filter(Boolean)).toHaveLength(1);
    }
    const bigger = history(40_000).rows;
    const kinds = new Set(
      bigger.map((r) => (r.size === "0" ? "zero" : r.price.startsWith("-") ? "negative" : r.side === "hold" ? "hold" : r.status)),
    );
    expect(kinds).toEqual(new Set(["filled", "zero", "negative", "hold", "cancelled", "weird"]));
  });

  test("order times span two years up to 2025-11-20, ids in time order, with bursts and equal timestamps", () => {
    const times = rows.map((r) => Date.parse(r.orderTime));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(HISTORY_START_MS);
    expect(Math.max(...times)).toBeLessThanOrEqual(HISTORY_END_MS);
    expect(Math.max(...times)).toBeGreaterThan(Date.UTC(2025, 10, 1));
    expect(Math.min(...times)).toBeLessThan(Date.UTC(2023, 11, 20));
    let backwards = 0;
    let equal = 0;
    let withinSecond = 0;
    for (let i = 1; i < times.length; i++) {
      if (times[i]! < times[i - 1]!) backwards++;
      if (times[i] === times[i - 1]) equal++;
      if (times[i]! - times[i - 1]! < 1000) withinSecond++;
    }
    expect(backwards).toBeGreaterThan(0); // a few fills reported late
    expect(backwards).toBeLessThan(times.length * 0.01);
    expect(equal).toBeGreaterThan(100);
    expect(withinSecond).toBeGreaterThan(1000);
  });

  test("positions are built by buys and partly closed by sells; a few sells exceed the position", () => {
    expect(stats.oversells).toBeGreaterThan(0);
    expect(stats.oversells).toBeLessThan(stats.sells * 0.05);
  });

  test("the old system: most sells have parent_id and pnl_usd (to cents), some NULL; buys carry remaining_size", () => {
    const sells = rows.filter((r) => r.side === "sell");
    const matched = sells.filter((r) => r.parentId !== null);
    expect(matched.length).toBe(stats.sellsWithParent);
    expect(matched.length).toBeGreaterThan(sells.length * 0.9);
    expect(sells.length - matched.length).toBeGreaterThan(0);
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const sell of matched) {
      expect(sell.pnlUsd).not.toBeNull();
      expect(decimals(sell.pnlUsd!)).toBeLessThanOrEqual(2);
      const parent = byId.get(sell.parentId!)!;
      expect(parent.side).toBe("buy");
      expect(parent.symbol).toBe(sell.symbol);
      expect(parent.id).toBeLessThan(sell.id);
    }
    for (const sell of sells.filter((r) => r.parentId === null)) expect(sell.pnlUsd).toBeNull();
    for (const r of rows) {
      if (r.side === "buy") expect(r.remainingSize).not.toBeNull();
      else expect(r.remainingSize).toBeNull();
    }
    // remaining_size drifted: some buys keep inventory forever, some were zeroed.
    const buys = rows.filter((r) => r.side === "buy");
    expect(buys.some((r) => r.remainingSize === "0")).toBe(true);
    expect(buys.some((r) => r.remainingSize !== "0")).toBe(true);
    expect(stats.staleMatches).toBeGreaterThan(0); // matched to a buy more than 30 days older
  });
});

test("more symbols than the known list get unique made-up tickers", () => {
  const specs = symbolUniverse(120);
  expect(new Set(specs.map((s) => s.symbol)).size).toBe(120);
  expect(specs.slice(0, 4).map((s) => s.symbol)).toEqual(["BTC-USD", "ETH-USD", "SOL-USD", "DOGE-USD"]);
  for (const s of specs) expect(s.symbol).toMatch(/^[A-Z]{2,5}-USD$/);
  const { rows } = history(2000, 60, 7);
  expect(new Set(rows.map((r) => r.symbol)).size).toBeGreaterThan(40);
});

describe("db:seed arguments", () => {
  test("valid arguments with defaults", () => {
    expect(parseSeedArgs(["--trades", "1_000_000"])).toEqual({
      kind: "seed",
      args: { trades: 1_000_000, symbols: 8, seed: 20251120, append: false },
    });
    expect(parseSeedArgs(["--trades=50", "--symbols", "3", "--seed", "0", "--append"])).toEqual({
      kind: "seed",
      args: { trades: 50, symbols: 3, seed: 0, append: true },
    });
    expect(parseSeedArgs(["--help"])).toEqual({ kind: "help" });
  });

  test.each([
    [[], /--trades N is required/],
    [["--trades", "ten"], /--trades must be a whole number, got "ten"/],
    [["--trades", "-5"], /--trades/],
    [["--trades", "1.5"], /--trades must be a whole number/],
    [["--trades", "0"], /--trades must be between 1 and/],
    [["--trades", "10", "--symbols", "0"], /--symbols must be between 1 and 1,000/],
    [["--trades", "10", "--seed", "4294967296"], /--seed must be between 0 and/],
    [["--trades", "10", "--frobnicate"], /Unknown option '--frobnicate'/],
    [["--trades", "10", "extra"], /Unexpected argument 'extra'/],
  ])("%j is refused", (argv, message) => {
    const parsed = parseSeedArgs(argv);
    expect(parsed.kind).toBe("error");
    expect(parsed.kind === "error" && parsed.message).toMatch(message);
  });
});
