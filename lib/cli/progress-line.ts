// A progress line for long CLI work: rewritten in place on a terminal, one line every few seconds
// otherwise (CI logs), always on stderr so stdout stays the summary.
import type { RunProgress } from "@/db/compute/runs";

export function createProgressLine(stream: NodeJS.WriteStream = process.stderr) {
  // Plain (non-terminal) output: one line per interval; PROGRESS_LOG_INTERVAL_MS tunes it for logs.
  const plainEveryMs = Number(process.env.PROGRESS_LOG_INTERVAL_MS ?? 5000);
  let lastPlain = 0;
  let drawn = false;
  return {
    update(p: RunProgress) {
      const pct = p.tradesTotal > 0 ? Math.min(100, Math.floor((p.tradesDone / p.tradesTotal) * 100)) : 0;
      const eta = p.etaSeconds === null ? "" : `, ~${formatSeconds(p.etaSeconds)} left`;
      const text =
        `${p.phase.padEnd(9)} ${pct.toString().padStart(3)}%  symbols ${p.symbolsDone}/${p.symbolsTotal}  ` +
        `trades ${p.tradesDone.toLocaleString("en-US")}/${p.tradesTotal.toLocaleString("en-US")}  ` +
        `${p.tradesPerSecond.toLocaleString("en-US")} trades/s${eta}`;
      if (stream.isTTY) {
        stream.write(`\r\x1b[2K${text}`);
        drawn = true;
      } else if (Date.now() - lastPlain >= plainEveryMs || p.phase === "done") {
        stream.write(text + "\n");
        lastPlain = Date.now();
      }
    },
    end() {
      if (drawn && stream.isTTY) stream.write("\n");
      drawn = false;
    },
  };
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const m = Math.floor(seconds / 60);
  return m < 60 ? `${m}m ${seconds % 60}s` : `${Math.floor(m / 60)}h ${m % 60}m`;
}
