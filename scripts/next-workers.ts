// `next start` in several worker processes sharing one port (node:cluster; the primary hands out
// connections round-robin). One Next.js server renders pages on one core, and page views are
// CPU-bound renders: with WEB_CONCURRENCY workers (default: one per core on PostgreSQL, always one
// on the embedded PGlite, which allows a single process) a server uses every core.
// Only the first worker runs the background runner unless FIFO_RUNNER is set for all of them.
//
//   node --import tsx scripts/next-workers.ts -p 3000 -H 127.0.0.1
import cluster from "node:cluster";
import os from "node:os";
import path from "node:path";

/** How many Next.js processes serve pages. */
export function webConcurrency(env: Record<string, string | undefined> = process.env): number {
  if (!env.DATABASE_URL) return 1;
  const asked = Number(env.WEB_CONCURRENCY);
  if (Number.isInteger(asked) && asked >= 1) return Math.min(asked, 64);
  return Math.max(1, os.availableParallelism());
}

function main() {
  const root = path.resolve(import.meta.dirname, "..");
  const workers = webConcurrency();
  // Each worker is a Next.js server with the rendered-page cache in front (scripts/page-server.ts).
  // A larger young generation: rendering a page allocates a lot of short-lived objects, and the
  // default one sent them through the scavenger so often that a loaded server spent 13% of its
  // time in GC (measured: +17% pages per second with the whole dashboard rendered, for ~100 MB
  // more memory per process).
  cluster.setupPrimary({
    exec: path.join(root, "scripts", "page-server.ts"),
    args: process.argv.slice(2),
    execArgv: ["--import", "tsx", "--max-semi-space-size=64"],
  });
  let stopping = false;
  for (let i = 0; i < workers; i++) {
    const runner = i === 0 || process.env.FIFO_RUNNER !== undefined ? {} : { FIFO_RUNNER: "off" };
    cluster.fork({ ...runner, FIFO_WEB_WORKER: String(i + 1) });
  }
  // A worker that dies takes the server down (a supervisor restarts it), never half a server.
  cluster.on("exit", (worker, code, signal) => {
    if (!stopping) {
      console.error(`next-workers: worker ${worker.process.pid} exited (${signal ?? code}); stopping`);
      stop(typeof code === "number" && code !== 0 ? code : 1);
    } else if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(process.exitCode ?? 0);
  });
  const stop = (code = 0) => {
    if (stopping) return;
    stopping = true;
    process.exitCode = code;
    const alive = Object.values(cluster.workers ?? {});
    if (alive.length === 0) process.exit(code);
    for (const worker of alive) worker?.process.kill("SIGTERM");
  };
  process.on("SIGINT", () => stop());
  process.on("SIGTERM", () => stop());
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) main();
