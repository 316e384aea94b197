// npm run db:rollback [-- --yes]: removes what the FIFO migration added, after a typed YES.
// Never touches trade_records; keeps historical_pnl_snapshot_20251120. Refuses while a run is active,
// and gives up (nothing changed) when another session holds a lock for more than 5 s.
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { describeDatabase, openDatabase } from "@/db/client";
import { rollbackFifo } from "@/db/migrations";
import { DatabaseBusyError } from "@/db/postgres-client";
import { explainMigrationError } from "@/lib/cli/migration-report";

async function confirm(): Promise<boolean> {
  console.log("This drops the FIFO allocation tables, their views, the review queue and the run history.");
  console.log("trade_records and historical_pnl_snapshot_20251120 are kept.");
  if (!process.stdin.isTTY) {
    console.log("Type YES (all caps) to continue:");
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  try {
    const answer = await rl.question(process.stdin.isTTY ? "Type YES (all caps) to continue: " : "");
    return answer.trim() === "YES";
  } catch {
    return false; // stdin closed without an answer
  } finally {
    rl.close();
  }
}

async function main() {
  const { values } = parseArgs({ options: { yes: { type: "boolean", default: false } } });
  console.log(`Database: ${describeDatabase()}\n`);
  if (!values.yes && !(await confirm())) {
    console.log("Rollback aborted: nothing was changed.");
    process.exit(1);
  }
  const db = await openDatabase();
  try {
    const { dropped } = await rollbackFifo(db);
    console.log(dropped.length ? `Dropped: ${dropped.join(", ")}` : "Nothing to drop: the FIFO migration was not applied.");
    console.log("Kept: trade_records, historical_pnl_snapshot_20251120, dashboard users.");
    console.log("Rollback complete. Run npm run db:migrate to apply the migration again.");
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  if (error instanceof DatabaseBusyError) {
    console.error(`${error.message}\nAnother session is using the FIFO tables (a page or a run); nothing was changed.`);
  } else console.error(explainMigrationError(error));
  process.exit(1);
});
