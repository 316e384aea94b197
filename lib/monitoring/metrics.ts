// /api/metrics as metric families: the database and runner states of /api/health, plus per
// allocation version the open review items by severity, the last run's status and age, and the
// drift (new minus old PnL, from the read model refreshed after every run).
import type { MonitoringFigures } from "@/db/monitoring";
import type { HealthReport } from "./health";
import type { MetricFamily, Sample } from "./prometheus";

const SEVERITIES = ["low", "medium", "high", "critical"] as const;
const RUN_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;

const gauge = (name: string, help: string, samples: Sample[]): MetricFamily => ({ name, help, type: "gauge", samples });
const flag = (on: boolean) => (on ? 1 : 0);

export function healthFamilies(health: HealthReport & { pendingMigrations: string[] }): MetricFamily[] {
  return [
    gauge("fifo_up", "1 while this server answers", [{ value: 1 }]),
    gauge("fifo_database_up", "1 when the database answered this scrape", [{ value: flag(health.database === "reachable") }]),
    gauge("fifo_migrations_pending", "Migrations of this build not applied to the database", [{ value: health.pendingMigrations.length }]),
    gauge("fifo_runner_alive", "1 when this process's background runner polled within the last minute (or FIFO_RUNNER=off)", [
      { value: flag(health.runner === "alive" || health.runner === "starting" || health.runner === "off") },
    ]),
  ];
}

export function figureFamilies(figures: MonitoringFigures): MetricFamily[] {
  const versions = [...new Set([...figures.openItems, ...figures.lastRuns, ...figures.drift].map((r) => Number(r.version)))].sort((a, b) => a - b);
  const open = new Map(figures.openItems.map((r) => [`${r.version}:${r.severity}`, r.items]));
  return [
    gauge("fifo_runner_queue_length", "Runs waiting in the queue", [{ value: figures.queue.queued }]),
    gauge("fifo_runner_running_runs", "Runs executing now", [{ value: figures.queue.running }]),
    gauge("fifo_runner_paused", "1 while an admin has paused the queue", [{ value: flag(figures.queue.paused) }]),
    gauge(
      "fifo_review_open_items",
      "Open (pending or in review) review items per allocation version and severity",
      versions.flatMap((version) => SEVERITIES.map((severity) => ({ labels: { version, severity }, value: open.get(`${version}:${severity}`) ?? 0 }))),
    ),
    gauge(
      "fifo_last_run_status",
      "1 for the status of each version's latest run, 0 for the others",
      figures.lastRuns.flatMap((run) => RUN_STATUSES.map((status) => ({ labels: { version: run.version, status }, value: flag(run.status === status) }))),
    ),
    gauge(
      "fifo_last_run_age_seconds",
      "Seconds since each version's latest run finished (or started, or was queued)",
      figures.lastRuns.map((run) => ({ labels: { version: run.version }, value: run.ageSeconds })),
    ),
    gauge(
      "fifo_last_run_duration_seconds",
      "Duration of each version's latest finished run",
      figures.lastRuns.filter((run) => run.durationMs !== null).map((run) => ({ labels: { version: run.version }, value: millisToSeconds(run.durationMs!) })),
    ),
    gauge(
      "fifo_pnl_drift_usd",
      "Realized PnL of the version minus the old system's pnl_usd over the same sells (as of the last read-model refresh)",
      figures.drift.map((d) => ({ labels: { version: d.version }, value: d.driftUsd })),
    ),
    gauge(
      "fifo_realized_pnl_usd",
      "Realized PnL per version: system=new (the version's allocations) or old (trade_records.pnl_usd)",
      figures.drift.flatMap((d) => [
        { labels: { version: d.version, system: "new" }, value: d.newPnlUsd },
        { labels: { version: d.version, system: "old" }, value: d.oldPnlUsd },
      ]),
    ),
  ];
}

/** Integer milliseconds as exact decimal seconds text. */
function millisToSeconds(ms: number): string {
  const whole = Math.trunc(ms / 1000);
  const rest = Math.abs(ms % 1000);
  return `${whole}.${String(rest).padStart(3, "0")}`;
}
