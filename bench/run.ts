// npm run bench: speed figures on a real PostgreSQL server, reported as ratios measured in one run.
//   seed        1,000,000 demo trades over 50 symbols (COPY)
//   floor       PostgreSQL's own floor for a full recompute: COPY the trades out + COPY the same
//               number of allocation rows in (into a table shaped like fifo_allocations)
//   sql peer    the same FIFO matching as one set-based SQL statement (bench/sql-peer.ts)
//   full        a full recompute of every symbol (npm run compute-allocations -- --all-symbols):
//               allocations, snapshots, review sync and read models, against the floor and the peer
//   engine      the pure engine alone over the same trades in memory (trades/s)
//   incremental 1,000 new trades on top, incremental run vs full run
//   validate    validate-allocations' checks
//   pages       the dashboard's data loading per page
//   hifo        a HIFO version over the same trades (bench/hifo.ts)
//   load        LOAD_CLIENTS (50) signed-in clients browsing the dashboard over HTTP for LOAD_SECONDS
//               (30) against the built app (bench/load.ts; skipped without a build or with
//               BENCH_SKIP_LOAD=1; LOAD_PORT, WEB_CONCURRENCY as there), once as served (with
//               the rendered-page cache) and once with every page rendered (FIFO_PAGE_CACHE=off)
// Knobs: BENCH_DATABASE_URL (admin URL of the server; default TEST_DATABASE_URL or
// postgres://postgres@127.0.0.1:5432/postgres), BENCH_TRADES (1000000), BENCH_SYMBOLS (50),
// BENCH_NEW_TRADES (1000), BENCH_SKIP_VALIDATE=1 (skip the validation and engine-alone figures),
// BENCH_SKIP_HIFO=1 (skip the HIFO version), BENCH_SKIP_LOAD=1 (skip the load figure).
// The bench database is created and dropped here.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { withAdminClient } from "@/db/postgres-admin";
import { from as copyFrom } from "pg-copy-streams";
import { takeHistoricalSnapshotIfEmpty } from "@/db/historical-snapshot";
import { migrate } from "@/db/migrations";
import { createPostgresClient } from "@/db/postgres-client";
import { seedDemoData } from "@/db/seed-writer";
import { coveredTrades, sqlViolations, storedAllocations } from "@/db/compute/validation";
import { encodeCopyRow, type SqlClient } from "@/db/sql-client";
import type { TradeRow } from "@/db/compute/trade-stream";
import { FifoBook } from "@/lib/fifo";
import { computeAllocations } from "@/lib/compute/run-computation";
import { replayCheck } from "@/lib/compute/replay-check";
import { benchHifo } from "./hifo";
import { dashboardLoad, describeLoad } from "./load";
import { benchPages } from "./pages";
import { runSqlPeer } from "./sql-peer";

const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const TRADES = Number(process.env.BENCH_TRADES ?? 1_000_000);
const SYMBOLS = Number(process.env.BENCH_SYMBOLS ?? 50);
const NEW_TRADES = Number(process.env.BENCH_NEW_TRADES ?? 1000);
const fmt = (n: number) => n.toLocaleString("en-US");
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function timed<T>(label: string, fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  process.stderr.write(`  ${label}...`);
  const start = performance.now();
  const value = await fn();
  const ms = performance.now() - start;
  process.stderr.write(` ${secs(ms)}\n`);
  return { ms, value };
}

function sampleMemory() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage().rss);
  };
}

function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  return withAdminClient(adminUrl, fn);
}

const TRADE_QUERY = `SELECT t.id, t.symbol, t.side, t.size, t.price, t.fee_usd, t.order_time, t.status, t.pnl_usd, t.parent_id
  FROM trade_records t ORDER BY t.symbol, t.order_time, t.id`;

async function floor(db: SqlClient, url: string, allocationFile: string) {
  const out = await timed("floor: COPY trades out", async () => {
    let n = 0;
    for await (const _ of db.copyOut(TRADE_QUERY)) n++;
    return n;
  });
  await db.exec("DROP TABLE IF EXISTS bench_floor; CREATE TABLE bench_floor (LIKE fifo_allocations INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const into = await timed("floor: COPY allocations in", async () => {
    await pipeline(fs.createReadStream(allocationFile), client.query(copyFrom("COPY bench_floor FROM STDIN")));
  });
  await client.end();
  await db.exec("DROP TABLE bench_floor");
  return { outMs: out.ms, inMs: into.ms, trades: out.value };
}

async function dumpAllocations(db: SqlClient, file: string): Promise<number> {
  const stream = fs.createWriteStream(file);
  let n = 0;
  for await (const row of db.copyOut("SELECT * FROM fifo_allocations WHERE allocation_version = 1")) {
    if (!stream.write(encodeCopyRow(row))) await new Promise<void>((r) => stream.once("drain", () => r()));
    n++;
  }
  await new Promise<void>((r) => stream.end(() => r()));
  return n;
}

async function engineAlone(db: SqlClient) {
  const trades: TradeRow[] = [];
  for await (const t of coveredTrades(db, 1)) trades.push(t);
  const start = performance.now();
  let book: FifoBook | null = null;
  let symbol = "";
  let allocations = 0;
  for (const t of trades) {
    if (t.symbol !== symbol) {
      symbol = t.symbol;
      book = new FifoBook(symbol);
    }
    allocations += book!.apply(t).allocations.length;
  }
  const ms = performance.now() - start;
  return { ms, trades: trades.length, allocations };
}

async function appendTrades(db: SqlClient, n: number) {
  // New fills after the last one of each symbol, cycling through the symbols; buys and sells.
  await db.query(
    `WITH last AS (
       SELECT DISTINCT ON (symbol) symbol, order_time, price FROM trade_records ORDER BY symbol, order_time DESC, id DESC
     ), numbered AS (
       SELECT symbol, order_time, price, row_number() OVER (ORDER BY symbol) - 1 AS k, count(*) OVER () AS n FROM last
     )
     INSERT INTO trade_records (symbol, side, size, price, fee_usd, order_time, status, source)
     SELECT l.symbol, CASE WHEN g % 2 = 0 THEN 'buy' ELSE 'sell' END, 0.01, l.price, 0.01,
       l.order_time + (g + 1) * interval '1 second', 'filled', 'bot'
     FROM generate_series(0, $1::int - 1) g JOIN numbered l ON l.k = g % l.n`,
    [n],
  );
}

async function main() {
  const name = `fifo_bench_${process.pid}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = createPostgresClient(url.toString());
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "fifo-bench-"));
  try {
    console.log(`Bench on ${url.host}: ${fmt(TRADES)} trades over ${SYMBOLS} symbols (node ${process.version}, ${os.cpus().length} cores)`);
    await migrate(db);
    const seed = await timed(`seed ${fmt(TRADES)} trades`, () => seedDemoData(db, { trades: TRADES, symbols: SYMBOLS, seed: 1 }));
    await takeHistoricalSnapshotIfEmpty(db);
    // What a DBA does after a bulk load (issue 9's scenario too): otherwise autovacuum's first pass
    // over the million new rows lands in the middle of whichever measurement comes first.
    await timed("VACUUM ANALYZE after the load", () => db.exec("VACUUM ANALYZE"));

    const peak = sampleMemory();
    const full = await timed("full recompute", () => computeAllocations(db, { version: 1, symbols: null, mode: "full", startedBy: "bench" }));
    const peakRss = peak();
    if (full.value.status !== "succeeded") throw new Error(`the full run ${full.value.status}: ${full.value.errors.join("; ")}`);

    const allocationFile = path.join(tmp, "allocations.copy");
    const dumped = await dumpAllocations(db, allocationFile);
    const f = await floor(db, url.toString(), allocationFile);
    const floorMs = f.outMs + f.inMs;

    const peer = await timed("sql peer: one set-based FIFO statement", () => runSqlPeer(db));

    const skipChecks = process.env.BENCH_SKIP_VALIDATE === "1";
    const validate = await timed("validate", async () => {
      if (skipChecks) return -1;
      const violations = (await sqlViolations(db, 1)).length;
      let replayed = 0;
      await replayCheck(coveredTrades(db, 1), storedAllocations(db, 1), undefined, () => replayed++);
      return violations + replayed;
    });
    const engine = await timed("engine alone (in memory)", async () =>
      skipChecks ? { ms: 0, trades: 0, allocations: 0 } : engineAlone(db),
    );

    await appendTrades(db, NEW_TRADES);
    const incremental = await timed(`incremental (+${fmt(NEW_TRADES)} trades)`, () =>
      computeAllocations(db, { version: 1, symbols: null, mode: "incremental", startedBy: "bench" }),
    );
    const fullAgain = await timed("full recompute (same data)", () =>
      computeAllocations(db, { version: 1, symbols: null, mode: "full", startedBy: "bench" }),
    );
    const [refresh] = await db.query<{ steps: Record<string, number> }>("SELECT steps FROM dash_refresh_state WHERE allocation_version = 1");
    const pages = await benchPages(db, 1);
    const hifo = process.env.BENCH_SKIP_HIFO === "1" ? [] : await benchHifo(db, 1, 2);
    const distDir = process.env.NEXT_DIST_DIR ?? ".next";
    const loadSkipped =
      process.env.BENCH_SKIP_LOAD === "1" ? "skipped (BENCH_SKIP_LOAD=1)" :
      !fs.existsSync(path.join(import.meta.dirname, "..", distDir, "BUILD_ID")) ? `skipped (no build in ${distDir}: run \`npx next build\`)` : null;
    const loadRun = async (pageCache: boolean) =>
      loadSkipped ? null : dashboardLoad(url.toString(), {
        clients: Number(process.env.LOAD_CLIENTS ?? 50),
        seconds: Number(process.env.LOAD_SECONDS ?? 30),
        port: Number(process.env.LOAD_PORT ?? 3190),
        pageCache,
      });
    // What a DBA does after bulk writes, and what autovacuum would otherwise do during the load:
    // its ANALYZE commits, and any commit (correctly) makes every cached page a miss.
    await db.exec("VACUUM ANALYZE");
    const load = await timed("load: signed-in clients browsing the dashboard", () => loadRun(true));
    // The same load with every page rendered: what the server does when data changes all the time.
    const uncached = await timed("load: the same with the page cache off", () => loadRun(false));

    const row = (label: string, value: string) => console.log(`  ${label.padEnd(44)} ${value}`);
    console.log("\nResults");
    row("seed (trades/s)", `${secs(seed.ms)}  (${fmt(Math.round(TRADES / (seed.ms / 1000)))} trades/s)`);
    row("full recompute", `${secs(full.ms)}  (${fmt(full.value.allocationsWritten)} allocations, ${fmt(full.value.unmatchedSells)} unmatched)`);
    row("  phases (ms)", JSON.stringify(full.value.timings));
    row("floor: COPY trades out + allocations in", `${secs(floorMs)}  (${secs(f.outMs)} out of ${fmt(f.trades)} + ${secs(f.inMs)} in of ${fmt(dumped)})`);
    row("sql peer: one set-based FIFO statement", `${secs(peer.ms)}  (${fmt(peer.value)} gross allocations, unlogged, no indexes)`);
    const phases = full.value.timings ?? {};
    const readModelsMs = (phases.read_models ?? 0) + (phases.analyze ?? 0);
    row("  of which the run (committed)", secs(full.ms - readModelsMs));
    row("  of which review sync", secs(phases.review ?? 0));
    row("  of which statistics + dashboard read models", secs(readModelsMs));
    row("ratio full run (everything) / floor", `${(full.ms / floorMs).toFixed(2)}x  (goal: within 1.5x)`);
    row("ratio full run (everything) / sql peer", `${(full.ms / peer.ms).toFixed(2)}x  (goal: under 1x)`);
    row("peak memory during the full recompute (RSS)", `${fmt(Math.round(peakRss / 2 ** 20))} MB  (goal: under 500 MB)`);
    if (skipChecks) {
      row("engine alone, validate-allocations checks", "skipped (BENCH_SKIP_VALIDATE=1)");
    } else {
      row("engine alone", `${secs(engine.value.ms)}  (${fmt(Math.round(engine.value.trades / (engine.value.ms / 1000)))} trades/s)`);
      row("validate-allocations checks", `${secs(validate.ms)}  (${validate.value} violations)`);
    }
    row(`incremental run (+${fmt(NEW_TRADES)} trades)`, `${secs(incremental.ms)}  (${fmt(incremental.value.tradesRead)} trades read)`);
    row("  phases (ms)", JSON.stringify(incremental.value.timings));
    row("full run on the same data", secs(fullAgain.ms));
    row("  phases (ms)", JSON.stringify(fullAgain.value.timings));
    row("  read-model steps (ms)", JSON.stringify(refresh?.steps ?? {}));
    row("  ratio (same data) / floor, / sql peer", `${(fullAgain.ms / floorMs).toFixed(2)}x, ${(fullAgain.ms / peer.ms).toFixed(2)}x`);
    row("ratio incremental / full", `${(incremental.ms / fullAgain.ms).toFixed(3)}x  (goal: at most 0.05x)`);
    console.log("\nDashboard data loading at this size (goal: under 150 ms each)");
    for (const p of pages) row(p.page, `${p.ms.toFixed(0)} ms`);
    console.log("\nLot-selection methods (HIFO beside FIFO)");
    if (hifo.length === 0) row("HIFO version", "skipped (BENCH_SKIP_HIFO=1)");
    for (const h of hifo) row(h.label, `${secs(h.ms)}  (${h.note})`);
    console.log("\nDashboard under load (goal: 0 errors, p95 under 500 ms with 50 clients)");
    row("load", load.value ? describeLoad(load.value) : loadSkipped!);
    row("load, every page rendered", uncached.value ? describeLoad(uncached.value) : loadSkipped!);
  } finally {
    await db.close();
    fs.rmSync(tmp, { recursive: true, force: true });
    await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
}

main().catch((error) => {
  console.error(`bench: ${(error as Error).stack ?? error}`);
  process.exit(1);
});
