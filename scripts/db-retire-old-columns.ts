// npm run db:retire-old-columns [-- --yes] [-- --undo]: seed step 6. Checks the historical
// snapshot holds the old values (copies what it lacks), shows what changes, asks for YES, then
// retires trade_records' parent_id/pnl_usd/remaining_size behind a compatibility view the bot can
// keep writing through. --undo puts the table back byte-identical.
import { parseArgs } from "node:util";
import { describeDatabase, openDatabase } from "@/db/client";
import { SNAPSHOT_TABLE } from "@/db/migrations";
import { BASE_TABLE, OLD_COLUMNS, planRetirement, retireOldColumns, retirementState, undoRetirement } from "@/db/retire-old-columns";
import { confirmYes } from "@/lib/cli/confirm";

async function main() {
  const { values } = parseArgs({
    options: { yes: { type: "boolean", default: false }, undo: { type: "boolean", default: false } },
  });
  console.log(`Database: ${describeDatabase()}\n`);
  const db = await openDatabase();
  try {
    const state = await retirementState(db);
    if (values.undo) {
      if (state === "active") {
        console.log("The old columns are not retired: nothing to undo.");
        return;
      }
      console.log(`This drops the compatibility view trade_records, renames ${BASE_TABLE} back to trade_records`);
      console.log(`and its columns ${OLD_COLUMNS.map((c) => `legacy_${c}`).join(", ")} back to ${OLD_COLUMNS.join(", ")}.`);
      console.log("Every row, column and index comes back exactly as it was (no row is rewritten).");
      if (!values.yes && !(await confirmYes())) {
        console.log("Undo aborted: nothing was changed.");
        process.exitCode = 1;
        return;
      }
      await undoRetirement(db);
      console.log(`✅ trade_records restored with ${OLD_COLUMNS.join(", ")}.`);
      return;
    }
    if (state === "retired") {
      console.log(`The old columns are already retired (the table is ${BASE_TABLE}). Undo with: npm run db:retire-old-columns -- --undo`);
      return;
    }
    const plan = await planRetirement(db);
    console.log(`Historical snapshot ${SNAPSHOT_TABLE}: ${plan.snapshotRows} rows.`);
    console.log(
      plan.missingFromSnapshot === 0
        ? "✅ It holds every trade that carries an old value."
        : `   ${plan.missingFromSnapshot} trade(s) carry an old value it lacks: they are copied into it first.`,
    );
    if (plan.changedSinceSnapshot > 0) {
      console.log(
        `   ${plan.changedSinceSnapshot} trade(s) hold other old values than the snapshot (the bot kept writing): the snapshot keeps ` +
          "the values from when you migrated; the current ones stay in the legacy_ columns.",
      );
    }
    console.log("\nWhat changes:");
    console.log(`  - trade_records (${plan.trades} rows) is renamed ${BASE_TABLE}; no row is rewritten.`);
    console.log(`  - its columns ${OLD_COLUMNS.join(", ")} become ${OLD_COLUMNS.map((c) => `legacy_${c}`).join(", ")}.`);
    console.log("  - a view named trade_records takes its place: the same columns in the same order, the three old");
    console.log("    ones always NULL. The bot keeps inserting, updating and deleting through it; an old value it");
    console.log("    still writes is stored in the legacy_ column and no longer read.");
    console.log("  - undo at any time: npm run db:retire-old-columns -- --undo\n");
    if (!values.yes && !(await confirmYes())) {
      console.log("Retirement aborted: nothing was changed.");
      process.exitCode = 1;
      return;
    }
    const done = await retireOldColumns(db);
    if (done.copiedToSnapshot > 0) console.log(`✅ Copied ${done.copiedToSnapshot} trade(s) into ${SNAPSHOT_TABLE}.`);
    console.log(`✅ Old columns retired: ${OLD_COLUMNS.join(", ")} now read NULL through trade_records.`);
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  console.error(`Retirement failed, nothing was changed: ${(error as Error).message}`);
  process.exit(1);
});
