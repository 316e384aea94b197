// Prints migration results in the shape of the seed document's "Expected output".
import type { MigrateResult } from "@/db/migrations";

const RULE = "=".repeat(80);

function banner(title: string): string {
  return `${RULE}\n${title}\n${RULE}\n`;
}

export function formatMigrateReport(result: MigrateResult): string {
  const line = (o: MigrateResult["objects"][number]) =>
    !o.existsNow
      ? `❌ ${o.name} ${o.kind} is missing`
      : o.existedBefore
        ? `✅ ${o.name} ${o.kind} already exists (kept)`
        : `✅ ${o.name} ${o.kind} created`;
  const tables = result.objects.filter((o) => o.kind === "table").map(line);
  const views = result.objects.filter((o) => o.kind === "view").map(line);
  const snapshot = result.snapshot;
  const snapshotLines = [
    snapshot.existedBefore
      ? `✅ Historical snapshot kept: historical_pnl_snapshot_20251120 (taken ${snapshot.takenAt ?? "when first migrated"})`
      : `✅ Historical snapshot created: historical_pnl_snapshot_20251120`,
    `   Rows preserved: ${snapshot.rows}`,
  ];
  if (snapshot.rows === 0) {
    snapshotLines.push(
      "   (Expected if no trades exist yet, or if all sells have parent_id = NULL.)",
    );
  }
  const tradeLines = [
    result.tradeRecords === "bot"
      ? "✅ trade_records: the bot's table, left exactly as it was (no column, index or row changed)"
      : result.tradeRecords === "created"
        ? "✅ trade_records table created (this database had none)"
        : "✅ trade_records: created by this tool earlier",
    ...result.tradeIndexesCreated.map((name) => `✅ index ${name} created on trade_records (--with-trade-indexes; rollback drops it)`),
  ];
  if (result.tradeIndexesOffered.length > 0) {
    tradeLines.push(
      `   Not created on the bot's table: ${result.tradeIndexesOffered.join(", ")} (opt in: npm run db:migrate -- --with-trade-indexes)`,
    );
  }
  const applied = result.applied.length
    ? `Applied: ${result.applied.join(", ")}`
    : "Nothing to apply: the database was already up to date.";
  return [
    banner("FIFO ALLOCATIONS MIGRATION - Part 1: Creating New Tables"),
    ...tables,
    ...tradeLines,
    "",
    banner("FIFO ALLOCATIONS MIGRATION - Part 2: Creating Views"),
    ...views,
    "",
    banner("FIFO ALLOCATIONS MIGRATION - Part 3: Historical Data Snapshot"),
    ...snapshotLines,
    "",
    banner("FIFO ALLOCATIONS MIGRATION COMPLETE"),
    applied,
    "",
  ].join("\n");
}

/** Turns the database errors the seed's troubleshooting section names into its advice. */
export function explainMigrationError(error: unknown): string {
  const e = error as { code?: string; message?: string };
  const message = e.message ?? String(error);
  if (e.code === "42P07") {
    return [
      `ERROR:  ${message}`,
      "",
      "Tables already created, but not by this tool's migrations (an earlier manual run?). Either:",
      "  1. continue: drop or rename the conflicting object if it is not ours, then migrate again, or",
      "  2. roll back first (npm run db:rollback), then re-run npm run db:migrate.",
    ].join("\n");
  }
  if (e.code === "42501") {
    return [
      `ERROR:  ${message}`,
      "",
      "Permission denied. Connect (DATABASE_URL) as the bot's database user (e.g. bot_user), the owner",
      "of trade_records, or another user allowed to create tables in the public schema.",
    ].join("\n");
  }
  if (e.code === "42703" && /trade_records lacks/.test(message)) {
    return `ERROR:  ${message}\n\nNothing was changed. Add the missing column(s) to trade_records (the bot's table), then migrate again.`;
  }
  if (e.code === "ECONNREFUSED" || e.code === "ENOTFOUND" || e.code === "3D000" || e.code === "28P01") {
    return `Cannot connect to the database: ${message}. Check DATABASE_URL.`;
  }
  return `Migration failed, nothing was changed by the failing step: ${message}`;
}
