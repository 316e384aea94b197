// npm run tax-report -- --version N --year Y [--out FILE]
// (npm prints its own "> script" banner on stdout: use `npm run -s tax-report ...` or --out.)
// Tax lots of the allocations sold in year Y (UTC) as CSV on stdout: one "lot" row per allocation,
// then "total" rows per symbol and term, per term over all symbols (symbol ALL) and the year's
// total (ALL, all). gain_usd is the allocation's pnl_usd, so the year's total gain is exactly the
// realized PnL sold that year. Exit codes: 0 written, 2 bad arguments, 4 database or version not ready.
import fs from "node:fs";
import { parseArgs } from "node:util";
import { z } from "zod";
import { describeDatabase, openDatabase } from "@/db/client";
import { versionMethod } from "@/db/compute/methods";
import { versionExists } from "@/db/compute/validation";
import { TAX_LOT_HEADER, taxReportRows } from "@/db/queries/tax-lots";
import { csvLine } from "@/lib/table/csv";
import { exitOnFailure } from "@/lib/cli/exit-on-failure";

const USAGE = `Usage: npm run -s tax-report -- --version N --year YYYY > tax-lots.csv
       npm run tax-report -- --version N --year YYYY --out tax-lots.csv`;

function parse() {
  try {
    const { values } = parseArgs({
      options: { version: { type: "string" }, year: { type: "string" }, out: { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
    });
    if (values.help) {
      console.log(USAGE);
      process.exit(0);
    }
    const parsed = z
      .object({
        version: z.coerce.number({ error: "--version is required" }).int("--version must be a whole number").min(1, "--version must be 1 or more"),
        out: z.string().min(1, "--out needs a file name").optional(),
        year: z.coerce.number({ error: "--year is required" }).int("--year must be a whole number").min(1970, "--year must be 1970 or later").max(9999, "--year must be at most 9999"),
      })
      .safeParse(values);
    if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join("; "));
    return parsed.data;
  } catch (error) {
    console.error(`tax-report: ${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

/** Writes respecting backpressure, so a report of a million lots never piles up in memory. */
function writerTo(out: NodeJS.WritableStream) {
  return (text: string): Promise<void> =>
    out.write(text) ? Promise.resolve() : new Promise((resolve) => out.once("drain", () => resolve()));
}

async function main() {
  const args = parse();
  console.error(`Database: ${describeDatabase()}`);
  const db = await openDatabase();
  try {
    if (!(await versionExists(db, args.version))) {
      console.error(`tax-report: version ${args.version} has not been computed.`);
      process.exitCode = 4;
      return;
    }
    const method = (await versionMethod(db, args.version)) ?? "fifo";
    console.error(`Tax lots of version ${args.version} (${method.toUpperCase()}) sold in ${args.year} (UTC).`);
    const out = args.out ? fs.createWriteStream(args.out) : process.stdout;
    const write = writerTo(out);
    await write(csvLine(TAX_LOT_HEADER));
    let lots = 0;
    for await (const row of taxReportRows(db, args.version, args.year)) {
      if (row[0] === "lot") lots++;
      await write(csvLine(row));
    }
    if (out !== process.stdout) await new Promise<void>((resolve, reject) => out.end(() => resolve()).once("error", reject));
    console.error(`${lots.toLocaleString("en-US")} lot(s)${args.out ? ` written to ${args.out}` : ""}.`);
  } finally {
    await db.close();
  }
}

main().catch(exitOnFailure("tax-report"));
