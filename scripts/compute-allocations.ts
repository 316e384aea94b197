// npm run compute-allocations -- --all-symbols --version 1 [--symbol BTC-USD ...] [--incremental] [--method hifo] [--follow [--interval S]]
// --follow keeps running after the first run, picking up new trades (Ctrl-C stops; following stays
// on for the dashboard's runner until --unfollow).
// Exit codes: 0 succeeded, 1 the run failed or was cancelled, 2 bad arguments (or a method other
// than the version's), 3 the version is busy with another run, 4 the database is not ready.
import os from "node:os";
import { parseArgs } from "node:util";
import { z } from "zod";
import { describeDatabase, openDatabase } from "@/db/client";
import { MethodConflictError, versionMethod } from "@/db/compute/methods";
import { RunConflictError } from "@/db/compute/runs";
import { LOT_METHODS } from "@/lib/fifo";
import { createProgressLine } from "@/lib/cli/progress-line";
import { setFollow } from "@/db/queries/follow";
import { followLoop } from "@/lib/cli/follow-loop";
import { computeAllocations, type RunSummary } from "@/lib/compute/run-computation";

const USAGE = `Usage: npm run compute-allocations -- (--all-symbols | --symbol SYMBOL [--symbol SYMBOL ...]) [--version N] [--incremental] [--method fifo|lifo|hifo]
                                                  [--follow [--interval SECONDS]]
       npm run compute-allocations -- --unfollow --version N

  --all-symbols   compute every symbol that has trades
  --symbol S      compute only this symbol (repeatable)
  --version N     allocation version to (re)compute (default 1)
  --incremental   continue from the version's inventory snapshots; symbols whose earlier trades
                  changed are recomputed in full
  --method M      lot selection of a new version: fifo (default; oldest lot first), lifo (newest
                  first) or hifo (highest buy price first). A version keeps the method of its
                  first run; asking an existing version for another method is refused
  --follow        after this run, keep following the bot: an incremental run whenever new trades
                  came in, at most every --interval seconds (default 60); Ctrl-C stops this process,
                  following stays on for the dashboard's runner
  --unfollow      turn following off for --version and exit`;

const Args = z
  .object({
    "all-symbols": z.boolean().default(false),
    symbol: z.array(z.string().trim().min(1, "a symbol cannot be empty")).default([]),
    version: z.coerce.number().int("--version must be a whole number").min(1, "--version must be 1 or more").max(2_147_483_647, "--version must be at most 2147483647").default(1),
    incremental: z.boolean().default(false),
    follow: z.boolean().default(false),
    unfollow: z.boolean().default(false),
    interval: z.coerce.number().int("--interval must be whole seconds").min(5, "--interval must be at least 5").max(86_400, "--interval must be at most 86400").default(60),
    method: z.enum(LOT_METHODS, { error: "--method must be fifo, lifo or hifo" }).optional(),
  })
  .refine((a) => !(a.follow && a.unfollow), { message: "give --follow or --unfollow, not both" })
  .refine((a) => a.unfollow || a["all-symbols"] !== a.symbol.length > 0, {
    message: "give either --all-symbols or at least one --symbol (not both)",
  });

function parse() {
  try {
    const { values } = parseArgs({
      options: {
        "all-symbols": { type: "boolean" },
        symbol: { type: "string", multiple: true },
        version: { type: "string" },
        incremental: { type: "boolean" },
        follow: { type: "boolean" },
        unfollow: { type: "boolean" },
        interval: { type: "string" },
        method: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    });
    if (values.help) {
      console.log(USAGE);
      process.exit(0);
    }
    const parsed = Args.safeParse(values);
    if (!parsed.success) fail(parsed.error.issues.map((i) => i.message).join("; "));
    return parsed.data!;
  } catch (error) {
    return fail((error as Error).message);
  }
}

function fail(message: string): never {
  console.error(`compute-allocations: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function printSummary(s: RunSummary, version: number, method: string | null) {
  const seconds = (s.durationMs / 1000).toFixed(1);
  const lines = [
    "",
    `Run #${s.runId} (version ${version}): ${s.status.toUpperCase()} in ${seconds}s`,
    `  lot selection:        ${method ? method.toUpperCase() : "not fixed yet (no run of this version succeeded)"}`,
    `  trades read:          ${s.tradesRead.toLocaleString("en-US")}`,
    `  allocations written:  ${s.allocationsWritten.toLocaleString("en-US")}`,
    `  unmatched sells:      ${s.unmatchedSells.toLocaleString("en-US")}`,
    `  unusable trades:      ${s.invalidTrades.toLocaleString("en-US")}`,
    `  review items opened:  ${s.reviewItemsOpened.toLocaleString("en-US")}, auto-closed: ${s.reviewItemsClosed.toLocaleString("en-US")}`,
  ];
  for (const f of s.fullRecomputes) lines.push(`  full recompute of ${f.symbol}: ${f.reason}`);
  for (const e of s.errors) lines.push(`  error: ${e}`);
  if (s.status !== "succeeded") lines.push("  The previous allocations of this version are unchanged.");
  console.log(lines.join("\n"));
}

async function main() {
  const args = parse();
  console.error(`Database: ${describeDatabase()}`);
  const db = await openDatabase().catch((error: Error) => {
    console.error(`compute-allocations: cannot open the database: ${error.message}`);
    process.exit(4);
  });
  const progress = createProgressLine();
  let interruptedAt = 0;
  const abort = new AbortController();
  process.on("SIGINT", () => {
    // One Ctrl-C can arrive twice (the terminal signals the whole process group, and a wrapper such
    // as `npx tsx` relays it): only a second press, not an echo within 500 ms, quits at once.
    if (interruptedAt) {
      if (Date.now() - interruptedAt > 500) process.exit(130);
      return;
    }
    interruptedAt = Date.now();
    console.error("\nCancelling (Ctrl-C again to quit at once)...");
    abort.abort();
  });
  const startedBy = `cli:${os.userInfo().username}@${os.hostname()}`;
  if (args.unfollow) {
    await setFollow(db, { version: args.version, enabled: false, changedBy: startedBy });
    console.log(`Version ${args.version} no longer follows the bot.`);
    await db.close();
    return;
  }
  try {
    const summary = await computeAllocations(
      db,
      {
        version: args.version,
        symbols: args["all-symbols"] ? null : args.symbol,
        mode: args.incremental ? "incremental" : "full",
        method: args.method,
        startedBy,
      },
      { signal: abort.signal, onProgress: (p) => progress.update(p) },
    );
    progress.end();
    const method = await versionMethod(db, args.version);
    printSummary(summary, args.version, method);
    process.exitCode = summary.status === "succeeded" ? 0 : 1;
    if (args.follow && summary.status === "succeeded" && !abort.signal.aborted) {
      console.log(`\nFollowing the bot with version ${args.version}: new trades are picked up every ${args.interval} s. Ctrl-C to stop.`);
      await followLoop(db, {
        version: args.version,
        intervalSeconds: args.interval,
        startedBy,
        signal: abort.signal,
        onRun: (s) => printSummary(s, args.version, method),
      });
      console.log(`Stopped. Version ${args.version} still follows the bot in the dashboard's runner; --unfollow turns it off.`);
    }
  } catch (error) {
    progress.end();
    if (error instanceof MethodConflictError) {
      console.error(`compute-allocations: refused. ${error.message}`);
      process.exitCode = 2;
    } else if (error instanceof RunConflictError) {
      console.error(`compute-allocations: refused. ${error.message}`);
      process.exitCode = 3;
    } else if ((error as { code?: string }).code === "42P01") {
      console.error("compute-allocations: the database is not migrated yet. Run `npm run db:migrate` first.");
      process.exitCode = 4;
    } else {
      console.error(`compute-allocations: ${(error as Error).message}`);
      process.exitCode = 1;
    }
  } finally {
    await db.close();
  }
}

void main();
