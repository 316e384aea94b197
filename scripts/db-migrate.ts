// npm run db:migrate [-- --with-trade-indexes]: applies all migrations to DATABASE_URL (or the
// embedded database). Idempotent. Never changes a bot's trade_records unless asked for its indexes.
import { parseArgs } from "node:util";
import { describeDatabase, openDatabase } from "@/db/client";
import { migrate } from "@/db/migrations";
import { explainMigrationError, formatMigrateReport } from "@/lib/cli/migration-report";

async function main() {
  const { values } = parseArgs({ options: { "with-trade-indexes": { type: "boolean", default: false } } });
  console.log(`Database: ${describeDatabase()}\n`);
  const db = await openDatabase();
  try {
    process.stdout.write(formatMigrateReport(await migrate(db, { withTradeIndexes: values["with-trade-indexes"] })));
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  console.error(explainMigrationError(error));
  process.exit(1);
});
