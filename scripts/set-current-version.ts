// npm run set-current-version -- --version N [--backup-taken] [--validate] [--reason TEXT] [--require-checklist]
// Makes version N the one fifo_allocations_current, v_pnl_by_symbol_current and the dashboard use.
// Prints the cutover checklist and records the change in fifo_cutovers. From the command line the
// operator decides: an incomplete checklist is recorded as an override (with --reason, or a default
// naming the operator); --require-checklist refuses instead, as the versions page does.
// Exit codes: 0 switched, 1 refused, 2 bad arguments, 4 database not ready.
import os from "node:os";
import { parseArgs } from "node:util";
import { z } from "zod";
import { describeDatabase, openDatabase } from "@/db/client";
import { VersionAdminError } from "@/db/queries/version-admin";
import { validateAndRecord } from "@/lib/compute/validate-version";
import { OVERRIDE_REASON_MIN_LENGTH, type Checklist } from "@/lib/cutover/checklist";
import { loadChecklist, makeVersionCurrent } from "@/lib/cutover/make-current";

const USAGE = `Usage: npm run set-current-version -- --version N [--backup-taken] [--validate] [--reason TEXT] [--require-checklist]

  --version N           the version reports and the dashboard use from now on
  --backup-taken        you confirm a backup of the database exists (a checklist item)
  --validate            run validate-allocations on the version first and record the outcome
  --reason TEXT         why you switch although the checklist is incomplete (recorded)
  --require-checklist   refuse unless every checklist item holds`;

const Args = z.object({
  version: z.coerce.number({ error: "--version is required" }).int("--version must be a whole number").min(1, "--version must be 1 or more"),
  "backup-taken": z.boolean().default(false),
  validate: z.boolean().default(false),
  reason: z.string().trim().optional(),
  "require-checklist": z.boolean().default(false),
});

function parse() {
  try {
    const { values } = parseArgs({
      options: {
        version: { type: "string" },
        "backup-taken": { type: "boolean" },
        validate: { type: "boolean" },
        reason: { type: "string" },
        "require-checklist": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    });
    if (values.help) {
      console.log(USAGE);
      process.exit(0);
    }
    const parsed = Args.safeParse(values);
    if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join("; "));
    return parsed.data;
  } catch (error) {
    console.error(`set-current-version: ${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
}

function printChecklist(checklist: Checklist) {
  console.log(`Cutover checklist for version ${checklist.version}:`);
  for (const item of checklist.items) console.log(`  ${item.passed ? "✅" : "❌"} ${item.label}: ${item.detail}`);
}

async function main() {
  const args = parse();
  const operator = `cli:${os.userInfo().username}@${os.hostname()}`;
  console.error(`Database: ${describeDatabase()}`);
  const db = await openDatabase();
  try {
    if (args.validate) {
      const record = await validateAndRecord(db, args.version, operator);
      console.log(`Validation of version ${args.version}: ${record.passed ? "all invariants hold" : `${record.violations} violation(s)`}.`);
    }
    const checklist = await loadChecklist(db, args.version, args["backup-taken"]);
    printChecklist(checklist);
    if (!checklist.passed && args["require-checklist"]) {
      console.error("set-current-version: refused, the checklist is incomplete (--require-checklist).");
      process.exitCode = 1;
      return;
    }
    const reason = checklist.passed ? null : args.reason ?? `Set from the command line by ${operator} with the checklist incomplete.`;
    if (reason !== null && reason.length < OVERRIDE_REASON_MIN_LENGTH) {
      console.error(`set-current-version: --reason must be at least ${OVERRIDE_REASON_MIN_LENGTH} characters.`);
      process.exitCode = 2;
      return;
    }
    const outcome = await makeVersionCurrent(db, {
      version: args.version,
      backupAcknowledged: args["backup-taken"],
      overrideReason: reason,
      by: operator,
      source: "cli",
    });
    if (!outcome.ok) {
      console.error(`set-current-version: ${outcome.error}`);
      process.exitCode = 1;
      return;
    }
    const from = outcome.record.previous_version;
    console.log(
      `Version ${args.version} is now the current version${from !== null && from !== args.version ? ` (was ${from})` : ""}.` +
        (outcome.record.override_reason ? ` Recorded as an override: ${outcome.record.override_reason}` : ""),
    );
  } catch (error) {
    if (error instanceof VersionAdminError) {
      console.error(`set-current-version: ${error.message}`);
      process.exitCode = 1;
    } else if ((error as { code?: string }).code === "42P01" || (error as { code?: string }).code === "42883") {
      console.error("set-current-version: the database is not migrated yet. Run `npm run db:migrate` first.");
      process.exitCode = 4;
    } else throw error;
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  console.error(`set-current-version: ${(error as Error).message}`);
  process.exitCode = 1;
});
