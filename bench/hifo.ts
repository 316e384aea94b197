// The bench's HIFO figures (issue 12): one full run of a HIFO version over the same trades as the
// FIFO one, its validation against HIFO, and the what-if and tax-report reads comparing the two.
import { coveredTrades, storedAllocations } from "@/db/compute/validation";
import type { SqlClient } from "@/db/sql-client";
import { taxTotals, taxYears } from "@/db/queries/tax-lots";
import { whatIf } from "@/db/queries/what-if";
import { computeAllocations } from "@/lib/compute/run-computation";
import { replayCheck } from "@/lib/compute/replay-check";

export interface HifoFigures {
  label: string;
  ms: number;
  note: string;
}

async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/** Computes `version` with HIFO (a new version number), then reads it beside `fifoVersion`. */
export async function benchHifo(db: SqlClient, fifoVersion: number, version: number): Promise<HifoFigures[]> {
  process.stderr.write("  HIFO full recompute...");
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const run = await time(() => computeAllocations(db, { version, symbols: null, mode: "full", method: "hifo", startedBy: "bench" }));
  clearInterval(sampler);
  process.stderr.write(` ${(run.ms / 1000).toFixed(2)} s\n`);
  if (run.value.status !== "succeeded") throw new Error(`the HIFO run ${run.value.status}: ${run.value.errors.join("; ")}`);
  let violations = 0;
  const validate = await time(() => replayCheck(coveredTrades(db, version), storedAllocations(db, version), undefined, () => violations++, "hifo"));
  const compare = await time(() => whatIf(db, { fifo: fifoVersion, hifo: version }));
  const years = await taxYears(db, version);
  const tax = await time(() => taxTotals(db, version, years[0] ?? 2025));
  const n = (x: number) => x.toLocaleString("en-US");
  return [
    { label: "HIFO full recompute", ms: run.ms, note: `${n(run.value.allocationsWritten)} allocations, peak RSS ${n(Math.round(peak / 2 ** 20))} MB; phases ${JSON.stringify(run.value.timings)}` },
    { label: "HIFO validation replay", ms: validate.ms, note: `${violations} violations` },
    { label: "what-if FIFO vs HIFO (by symbol, year, term)", ms: compare.ms, note: `${compare.value.byYearTerm.length} year/term rows` },
    { label: `tax totals of one year (${years[0] ?? "-"})`, ms: tax.ms, note: `${tax.value.length} rows` },
  ];
}
