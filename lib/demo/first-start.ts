// What `npm start` does to the embedded database the first time: migrate, fill it with a demo
// trade history, create one demo user per role, and compute allocation version 1, so the
// dashboard has something true to show. Later starts only migrate (new releases) and move on:
// the demo logins (whose passwords the README publishes) are created while the database has no
// user at all, never again, so a demo user an admin disabled or re-passworded stays that way.
import { takeHistoricalSnapshotIfEmpty } from "@/db/historical-snapshot";
import { migrate } from "@/db/migrations";
import { seedDemoData } from "@/db/seed-writer";
import type { SqlClient } from "@/db/sql-client";
import { createUserAsAdmin } from "@/db/user-admin";
import { findUserByEmail, verifyPassword } from "@/db/users";
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

  if (await createDemoUsersOnFirstStart(db)) log(`created the demo logins: ${DEMO_USERS.map((u) => u.email).join(", ")}`);

  const [{ n: runs }] = (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM fifo_computation_log")) as [{ n: number }];
  if (runs === 0) {
    log("computing allocation version 1...");
    const run = await computeAllocations(db, { version: 1, symbols: null, mode: "full", startedBy: "npm start (first run)" });
    log(`version 1: run #${run.runId} ${run.status}, ${run.allocationsWritten.toLocaleString("en-US")} allocations, ${run.unmatchedSells} unmatched sells`);
  }
}

export const DEMO_ACTOR = { userId: null, name: "npm start (first start)" };

/** Creates the demo users when the database has no user yet; true when it did. */
export async function createDemoUsersOnFirstStart(db: SqlClient): Promise<boolean> {
  const [row] = await db.query<{ any: boolean }>("SELECT EXISTS (SELECT 1 FROM app_users) AS any");
  if (row?.any) return false;
  for (const user of DEMO_USERS) await createUserAsAdmin(db, DEMO_ACTOR, user);
  return true;
}

/** The demo logins that still exist, are enabled, and still have their published password. */
export async function demoLoginsWithPublishedPasswords(db: SqlClient): Promise<typeof DEMO_USERS> {
  const unchanged: typeof DEMO_USERS = [];
  for (const demo of DEMO_USERS) {
    const user = await findUserByEmail(db, demo.email);
    if (!user) continue;
    const [state] = await db.query<{ disabled: boolean }>("SELECT disabled_at IS NOT NULL AS disabled FROM app_users WHERE id = $1", [user.id]);
    if (!state?.disabled && (await verifyPassword(demo.password, user.passwordHash))) unchanged.push(demo);
  }
  return unchanged;
}
