// npm run db:seed -- --trades N [--symbols K] [--seed S] [--append]: loads a reproducible synthetic
// trade history (with the old system's wrong parent_id / pnl_usd) into DATABASE_URL or the
// embedded database. Refuses an unmigrated database, and a non-empty trade_records without --append.
import { describeDatabase, openDatabase } from "@/db/client";
import { SeedRefusedError, seedTrades, type SeedProgress, type SeedResult } from "@/db/seed-writer";
import { parseSeedArgs, SEED_USAGE, type SeedArgs } from "@/lib/seed/cli-args";

const count = (n: number) => n.toLocaleString("en-US");
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const rate = (rows: number, ms: number) => count(Math.round(rows / Math.max(ms / 1000, 0.001)));

function progressReporter() {
  const tty = Boolean(process.stderr.isTTY);
  let lastShown = 0;
  let lastRows = -1;
  let shownAny = false;
  return {
    update({ rows, trades, elapsedMs }: SeedProgress) {
      const finished = rows >= trades;
      if (rows === lastRows || (!finished && elapsedMs - lastShown < (tty ? 250 : 2000))) return;
      lastShown = elapsedMs;
      lastRows = rows;
      const percent = Math.floor((rows * 100) / Math.max(trades, 1));
      const line = `seeding: ${count(rows)} / ${count(trades)} rows (${percent}%), ${rate(rows, elapsedMs)} rows/s`;
      process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
      shownAny = true;
    },
    done() {
      if (tty && shownAny) process.stderr.write("\n");
    },
  };
}

function summary(args: SeedArgs, r: SeedResult): string {
  const lines = [
    `Seeded ${count(r.trades)} trades into trade_records in ${seconds(r.durationMs)} (${rate(r.trades, r.durationMs)} rows/s)`,
    `  ids:          ${count(r.firstId)} .. ${count(r.lastId)}${r.existingRows ? ` (appended to ${count(r.existingRows)} existing rows)` : ""}`,
    `  seed:         ${r.seed} (same --trades, --symbols and --seed give the same rows)`,
    `  symbols:      ${count(r.symbols)}${r.symbols < args.symbols ? ` of ${count(args.symbols)} requested (too few trades for the rest)` : ""}`,
    `  buys:         ${count(r.buys)}`,
    `  sells:        ${count(r.sells)} (${count(r.oversells)} fills of sells larger than the position)`,
    `  unusable:     ${count(r.unusable)} rows (zero size, negative price, side 'hold', status 'cancelled' or 'weird')`,
    `  late fills:   ${count(r.lateReports)} (inserted after fills with a later order_time)`,
    `  old system:   ${count(r.sellsWithParent)} sells with parent_id and pnl_usd, ${count(r.sellsWithoutParent)} with NULL;`,
    `                ${count(r.staleMatches)} matched to a buy more than 30 days older`,
    "",
    "Next: npm run compute-allocations -- --all-symbols --version 1",
  ];
  return lines.join("\n") + "\n";
}

function explain(error: unknown): string {
  const e = error as { code?: string; message?: string };
  const message = e.message ?? String(error);
  if (e.code === "ECONNREFUSED" || e.code === "ENOTFOUND" || e.code === "3D000" || e.code === "28P01") {
    return `Cannot connect to the database: ${message}. Check DATABASE_URL.`;
  }
  if (e.code === "42501") return `Permission denied: ${message}. Connect as a user allowed to insert into trade_records.`;
  return `Seeding failed, nothing was written (the load runs in one transaction): ${message}`;
}

async function main(): Promise<number> {
  const parsed = parseSeedArgs(process.argv.slice(2));
  if (parsed.kind === "help") {
    console.log(SEED_USAGE);
    return 0;
  }
  if (parsed.kind === "error") {
    console.error(`Error: ${parsed.message}\n\n${SEED_USAGE}`);
    return 2;
  }
  const { args } = parsed;
  console.log(`Database: ${describeDatabase()}`);
  console.log(`Generating ${count(args.trades)} trades over ${count(args.symbols)} symbols (seed ${args.seed})\n`);
  const db = await openDatabase();
  const progress = progressReporter();
  try {
    const result = await seedTrades(db, { ...args, onProgress: (p) => progress.update(p) });
    progress.done();
    process.stdout.write(summary(args, result));
    return 0;
  } catch (error) {
    progress.done();
    if (error instanceof SeedRefusedError) {
      console.error(`Refused: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(explain(error));
    process.exit(1);
  },
);
