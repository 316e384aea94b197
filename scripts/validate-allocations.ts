// npm run validate-allocations -- --version N
// Checks the invariants of SPEC section 4 on the stored rows of a version. Exit codes: 0 all hold,
// 1 violations found (each printed with its trade ids), 2 bad arguments, 4 database not ready.
import { parseArgs } from "node:util";
import { z } from "zod";
import { describeDatabase, openDatabase } from "@/db/client";
import { versionMethod } from "@/db/compute/methods";
import { coveredTrades, sqlViolations, storedAllocations, versionExists } from "@/db/compute/validation";
import os from "node:os";
import { lastSucceededRunId } from "@/db/queries/cutover";
import { replayCheck, type Violation } from "@/lib/compute/replay-check";
import { recordVersionValidation } from "@/lib/compute/validate-version";
import { exitOnFailure } from "@/lib/cli/exit-on-failure";

const USAGE = "Usage: npm run validate-allocations -- --version N [--max-print 50]";
const INVARIANTS: Record<number, string> = {
  1: "per sell: allocated + unmatched = sell size",
  2: "per buy: allocated <= buy size",
  3: "every allocation's buy comes before its sell",
  4: "method order: no sell used a lot while one that comes first in the version's method order was open",
  5: "PnL and fee shares follow the formulas exactly",
  6: "recomputing the same trades gives the same rows",
};

function parse() {
  try {
    const { values } = parseArgs({
      options: { version: { type: "string" }, "max-print": { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
    });
    if (values.help) {
      console.log(USAGE);
      process.exit(0);
    }
    const parsed = z
      .object({
        version: z.coerce.number({ error: "--version is required" }).int().min(1, "--version must be 1 or more").max(2_147_483_647, "--version must be at most 2147483647"),
        "max-print": z.coerce.number().int().min(0).default(50),
      })
      .safeParse(values);
    if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join("; "));
    return parsed.data;
  } catch (error) {
    console.error(`validate-allocations: ${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

async function main() {
  const args = parse();
  console.error(`Database: ${describeDatabase()}`);
  const db = await openDatabase();
  try {
    if (!(await versionExists(db, args.version))) {
      console.error(`validate-allocations: version ${args.version} has not been computed (no inventory snapshot rows).`);
      process.exitCode = 4;
      return;
    }
    const validatedRunId = await lastSucceededRunId(db, args.version);
    const method = (await versionMethod(db, args.version)) ?? "fifo";
    const violations: Violation[] = await sqlViolations(db, args.version);
    const replay = await replayCheck(
      coveredTrades(db, args.version),
      storedAllocations(db, args.version),
      undefined,
      (v) => violations.push(v),
      method,
    );
    console.log(`Version ${args.version} (${method.toUpperCase()}): ${replay.trades.toLocaleString("en-US")} trades replayed, ${replay.allocations.toLocaleString("en-US")} allocations compared.`);
    for (const [n, text] of Object.entries(INVARIANTS)) {
      const count = violations.filter((v) => v.invariant === Number(n)).length;
      console.log(`  ${count === 0 ? "✅" : "❌"} invariant ${n}: ${text}${count ? ` (${count} violation${count > 1 ? "s" : ""})` : ""}`);
    }
    for (const v of violations.slice(0, args["max-print"])) {
      console.log(`  invariant ${v.invariant} ${v.kind} [trades ${v.tradeIds.join(", ")}]: ${v.message}`);
    }
    if (violations.length > args["max-print"]) console.log(`  ... and ${violations.length - args["max-print"]} more`);
    console.log(violations.length === 0 ? "All invariants hold." : `${violations.length} violation(s).`);
    // The cutover checklist reads the outcome (tied to the run it checked).
    await recordVersionValidation(
      db,
      args.version,
      validatedRunId,
      { violations, tradesReplayed: replay.trades, allocationsCompared: replay.allocations },
      `cli:${os.userInfo().username}@${os.hostname()}`,
    );
    process.exitCode = violations.length === 0 ? 0 : 1;
  } finally {
    await db.close();
  }
}

main().catch(exitOnFailure("validate-allocations"));
