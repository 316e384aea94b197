// npm run db:migrate: applies all migrations to DATABASE_URL (or the embedded database). Idempotent.
import { describeDatabase, openDatabase } from "@/db/client";
import { migrate } from "@/db/migrations";
import { explainMigrationError, formatMigrateReport } from "@/lib/cli/migration-report";

async function main() {
  console.log(`Database: ${describeDatabase()}\n`);
  const db = await openDatabase();
  try {
    process.stdout.write(formatMigrateReport(await migrate(db)));
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  console.error(explainMigrationError(error));
  process.exit(1);
});
