// Next.js calls register() once when a server instance starts (never during `next build`). It
// starts the background runner that executes queued computation runs (lib/jobs/runner.ts). Only
// the Node.js runtime runs it; the dynamic import keeps the database code out of the edge bundle.
// FIFO_RUNNER=off starts a server that never executes runs (another process does).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  if (process.env.FIFO_RUNNER === "off") return;
  const { startRunner } = await import("./lib/jobs/runner");
  // Not awaited work: the first poll (stale-run sweep, then the queue) happens in the background,
  // so a slow or not-yet-migrated database never delays the server's start.
  startRunner();
}
