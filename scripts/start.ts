// npm start: the dashboard. Without DATABASE_URL it prepares the embedded database on first start
// (migrate, demo trades, demo users, version 1); with DATABASE_URL it uses that database as it is.
// Builds the app when there is no build yet or the sources are newer, then runs `next start`
// (scripts/next-workers.ts: WEB_CONCURRENCY processes on PostgreSQL, default one per core).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describeDatabase, openDatabase } from "@/db/client";
import { pendingMigrations } from "@/db/migrations";
import { demoLoginsWithPublishedPasswords, prepareEmbeddedDemo } from "@/lib/demo/first-start";
import { demoPasswordRefusal } from "@/lib/demo/host-guard";

const root = path.resolve(import.meta.dirname, "..");
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "127.0.0.1";
const distDir = process.env.NEXT_DIST_DIR ?? ".next";
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
const log = (line: string) => console.log(`[start] ${line}`);

/** Prepares the database; returns the demo logins that still have their published passwords. */
async function prepareDatabase(): Promise<{ email: string; password: string; role: string }[]> {
  log(`database: ${describeDatabase()}`);
  const db = await openDatabase();
  try {
    if (process.env.DATABASE_URL) {
      const pending = await pendingMigrations(db);
      if (pending.length) {
        throw new Error(
          `this database needs migrating first (${pending.join(", ")}): run \`npm run db:migrate\`, ` +
            "then create a user with `npm run user:create -- --email you@example.com --role admin`.",
        );
      }
    } else await prepareEmbeddedDemo(db, log);
    return await demoLoginsWithPublishedPasswords(db);
  } finally {
    await db.close(); // the embedded database allows one process: hand it to the server
  }
}

function newestSourceTime(dirs: string[]): number {
  let newest = 0;
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  };
  for (const dir of dirs) walk(path.join(root, dir));
  for (const file of ["package-lock.json", "next.config.ts", "proxy.ts", "instrumentation.ts"]) {
    const full = path.join(root, file);
    if (fs.existsSync(full)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

function buildIfNeeded(): void {
  const buildId = path.join(root, distDir, "BUILD_ID");
  const built = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
  if (built && built >= newestSourceTime(["app", "components", "lib", "db"])) return;
  log(built ? "sources changed since the last build: rebuilding..." : "building the app (first start only, a minute or two)...");
  const result = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (result.status !== 0) throw new Error("the build failed (see above)");
}

async function main() {
  const publishedLogins = await prepareDatabase();
  const refusal = demoPasswordRefusal(host, publishedLogins);
  if (refusal) throw new Error(refusal);
  buildIfNeeded();
  // `next start` in one process per core on PostgreSQL (WEB_CONCURRENCY), one on PGlite.
  const server = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts", "next-workers.ts"), "-p", String(port), "-H", host], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  let announced = false;
  server.stdout!.on("data", (chunk: Buffer) => {
    process.stdout.write(chunk);
    if (!announced && /ready|started server|Local:/i.test(chunk.toString())) {
      announced = true;
      const url = `http://${host === "0.0.0.0" ? "localhost" : host}:${port}`;
      console.log(`\nFIFO Allocations is running at ${url}`);
      if (publishedLogins.length) {
        console.log("Demo logins (change these passwords on the Users page before sharing the server):");
        for (const u of publishedLogins) console.log(`  ${u.role.padEnd(8)} ${u.email.padEnd(22)} password: ${u.password}`);
      }
      console.log("Press Ctrl-C to stop.\n");
    }
  });
  const stop = () => server.kill("SIGTERM");
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  server.on("exit", (code) => process.exit(code ?? 0));
}

main().catch((error) => {
  console.error(`npm start: ${(error as Error).message}`);
  process.exit(1);
});
