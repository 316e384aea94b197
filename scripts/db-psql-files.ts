// npm run db:psql-files: writes drizzle/psql/001_create_fifo_allocations_tables.sql and
// 001_rollback_fifo_allocations_tables.sql from drizzle/ (re-run after adding a migration).
import fs from "node:fs";
import path from "node:path";
import { PSQL_DIR, psqlFiles } from "@/db/psql-files";

fs.mkdirSync(PSQL_DIR, { recursive: true });
for (const file of psqlFiles()) {
  const target = path.join(PSQL_DIR, file.name);
  const before = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : null;
  fs.writeFileSync(target, file.text);
  console.log(`${before === file.text ? "unchanged" : "wrote    "} ${path.relative(process.cwd(), target)}`);
}
