// What `npm start` does to the embedded database the first time: migrate, fill it with a demo
// trade history, create one demo user per role, and compute allocation version 1, so the
// dashboard has something true to show. Later starts only migrate (new releases) and move on.
import { takeHistoricalSnapshotIfEmpty } from "@/db/historical-snapshot";
import { migrate } from "@/db/migrations";
import { seedDemoData } from "@/db/seed-writer";
import type { SqlClient } from "@/db/sql-client";
import { createUser, findUserByEmail } from "@/db/users";
import type { Role } from "@/lib/auth/roles";
import { computeAllocations } from "@/lib/compute/run-computation";

export const DEMO_USERS: { email: string; password: string; role: Role }[] = [
  { email: "admin@example.com", password: "admin-demo-1", role: "admin" },
  { email: "reviewer@example.com", password: "reviewer-demo-1", role: "reviewer" },
  { email: "viewer@example.com", password: "viewer-demo-1", role: "viewer" },
];

export const DEMO_TRADES = { trades: 4000, symbols: 6, seed: 20251120 };

export async function prepareEmbeddedDemo(db: SqlClient, log: (line: string) => void): Promise<void> {
  const migrated = await migrate(db);
  if (migrated.applied.length) log(`migrated: ${migrated.applied.join(", ")}`);

  const [{ n: tradeCount }] = (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM trade_records")) as [{ n: number }];
  if (tradeCount === 0) {
    log(`loading ${DEMO_TRADES.trades.toLocaleString("en-US")} demo trades over ${DEMO_TRADES.symbols} symbols...`);
    await seedDemoData(db, DEMO_TRADES);
    await takeHistoricalSnapshotIfEmpty(db);
  }

  for (const user of DEMO_USERS) {
    if (!(await findUserByEmail(db, user.email))) await createUser(db, user);
  }

  const [{ n: runs }] = (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM fifo_computation_log")) as [{ n: number }];
  if (runs === 0) {
    log("computing allocation version 1...");
    const run = await computeAllocations(db, { version: 1, symbols: null, mode: "full", startedBy: "npm start (first run)" });
    log(`version 1: run #${run.runId} ${run.status}, ${run.allocationsWritten.toLocaleString("en-US")} allocations, ${run.unmatchedSells} unmatched sells`);
  }
}
