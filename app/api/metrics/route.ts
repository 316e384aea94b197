// Prometheus scrape endpoint. Needs `Authorization: Bearer $METRICS_TOKEN` (at least 16
// characters), or a signed-in admin's session. Always 200 once allowed: a broken database shows
// as fifo_database_up 0 rather than a failed scrape.
import { getDb } from "@/db/client";
import { monitoringFigures } from "@/db/monitoring";
import { getCurrentUser } from "@/lib/auth/session";
import { processRunner } from "@/lib/jobs/runner";
import { checkHealth, runnerState, withTimeout } from "@/lib/monitoring/health";
import { figureFamilies, healthFamilies } from "@/lib/monitoring/metrics";
import { bearerToken, configuredMetricsToken, metricsTokenMatches } from "@/lib/monitoring/metrics-token";
import { PROMETHEUS_CONTENT_TYPE, renderPrometheus, type MetricFamily } from "@/lib/monitoring/prometheus";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  if (!(await allowed(request))) {
    return new Response("metrics need `Authorization: Bearer <METRICS_TOKEN>` (set METRICS_TOKEN, 16+ characters) or an admin session\n", {
      status: 401,
      headers: { "content-type": "text/plain; charset=utf-8", "www-authenticate": 'Bearer realm="metrics"', "cache-control": "no-store" },
    });
  }
  const health = await checkHealth(getDb, runnerState(processRunner()));
  const families: MetricFamily[] = healthFamilies(health);
  if (health.database === "reachable" && health.migrations === "current") {
    try {
      families.push(...figureFamilies(await withTimeout(monitoringFigures(await getDb()), 5000)));
    } catch (error) {
      console.error("[metrics] figures failed:", error);
    }
  }
  return new Response(renderPrometheus(families), { headers: { "content-type": PROMETHEUS_CONTENT_TYPE, "cache-control": "no-store" } });
}

async function allowed(request: Request): Promise<boolean> {
  const presented = bearerToken(request.headers.get("authorization"));
  if (presented) return metricsTokenMatches(presented, configuredMetricsToken());
  try {
    return (await getCurrentUser())?.role === "admin";
  } catch {
    return false;
  }
}
