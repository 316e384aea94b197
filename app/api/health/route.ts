// Liveness and readiness for a load balancer or uptime check: no sign-in, no data. 200 when the
// database answers, its migrations are current and the runner polls (or is off on purpose);
// 503 otherwise, with the failing part named.
import { getDb } from "@/db/client";
import { processRunner } from "@/lib/jobs/runner";
import { checkHealth, runnerState } from "@/lib/monitoring/health";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const { pendingMigrations: _pending, ...report } = await checkHealth(getDb, runnerState(processRunner()));
  return Response.json(report, { status: report.status === "ok" ? 200 : 503, headers: { "cache-control": "no-store" } });
}
