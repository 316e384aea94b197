// Counts a run's progress and decides when to publish it (about once a second), with rate and ETA.
import type { RunProgress } from "@/db/compute/runs";

export class ProgressTracker {
  private readonly startedAt = Date.now();
  private lastPublished = 0;
  phase: RunProgress["phase"] = "reading";
  symbolsDone = 0;
  tradesDone = 0;

  constructor(
    readonly symbolsTotal: number,
    readonly tradesTotal: number,
    private readonly intervalMs = 1000,
  ) {}

  /** True when enough time has passed since the last snapshot() was published. */
  due(now = Date.now()): boolean {
    return now - this.lastPublished >= this.intervalMs;
  }

  snapshot(now = Date.now()): RunProgress {
    this.lastPublished = now;
    const seconds = Math.max((now - this.startedAt) / 1000, 0.001);
    const rate = this.tradesDone / seconds;
    const left = Math.max(this.tradesTotal - this.tradesDone, 0);
    return {
      phase: this.phase,
      symbolsDone: this.symbolsDone,
      symbolsTotal: this.symbolsTotal,
      tradesDone: this.tradesDone,
      tradesTotal: this.tradesTotal,
      tradesPerSecond: Math.round(rate),
      // Writing and reviewing have no per-trade rate to extrapolate from: unknown, not "0 s left".
      etaSeconds:
        this.phase === "done" ? 0 : this.phase === "writing" || this.phase === "reviewing" ? null : rate > 0 ? Math.ceil(left / rate) : null,
    };
  }
}
