// A full run's matching on worker threads. Reading and parsing trades, the engine, the findings
// and encoding allocation rows took one Node.js thread to its limit (PostgreSQL's COPY in and
// out of the same rows needs far less), so a run on several cores spreads whole symbols over
// workers (lib/compute/allocation-worker.ts):
// - this thread passes the trades' COPY text on, each symbol to the least busy worker
//   (TradeRouter), and the workers' allocation lines into the run's COPY;
// - each symbol's findings come back as plain data and are merged in the trades' order, so the
//   run's results are exactly those of one thread.
// Both directions stop when too much is in flight, so memory stays flat as on one thread.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { ComputeSettings } from "@/db/compute/settings";
import { decodeCopyField } from "@/db/sql-client";
import type { LotMethod } from "@/lib/fifo";
import { AsyncQueue } from "./async-queue";
import type { FindingsCollector, SymbolFindings } from "./findings";
import { TradeRouter } from "./trade-router";

export interface WorkerSetup {
  version: number;
  runId: number;
  method: LotMethod;
  settings: ComputeSettings;
}

export type ToWorker = { type: "trades"; lines: string } | { type: "end" } | { type: "written"; chars: number };

export type FromWorker =
  | { type: "ready" }
  | { type: "rows"; rows: string; count: number; trades: number; consumed: number }
  | { type: "symbol"; findings: SymbolFindings }
  | { type: "done" }
  | { type: "error"; message: string };

/** Trades' COPY text handed to workers and not yet matched, beyond which reading waits. */
const MAX_PENDING_CHARS = 16 << 20;
const START_TIMEOUT_MS = 30_000;

/** Worker threads a full run uses: FIFO_ALLOCATION_WORKERS (0 = none), else one per core (at most 4). */
export function allocationWorkerCount(): number {
  const configured = Number(process.env.FIFO_ALLOCATION_WORKERS);
  if (process.env.FIFO_ALLOCATION_WORKERS !== undefined && Number.isInteger(configured) && configured >= 0) return Math.min(configured, 8);
  const cores = os.availableParallelism();
  return cores >= 2 ? Math.min(cores, 4) : 0;
}

export interface WorkerProgress {
  trades: number;
  symbolsFinished: number;
}

/**
 * Started workers, ready for one run's trades. Null when they cannot start here (no worker
 * script next to this module or in the working directory, or it fails to load): the run then
 * matches on its own thread.
 */
export async function startAllocationWorkers(count: number, setup: WorkerSetup): Promise<AllocationWorkers | null> {
  const file = workerScript();
  if (!file || count < 1) return null;
  const workers = Array.from({ length: count }, () => spawn(file, setup));
  try {
    await Promise.all(workers.map(ready));
    return new AllocationWorkers(workers);
  } catch (error) {
    await Promise.all(workers.map((w) => w.terminate()));
    console.warn(`allocation workers did not start, the run matches on one thread: ${error instanceof Error ? error.message : error}`);
    return null;
  }
}

function spawn(file: string, setup: WorkerSetup): Worker {
  return new Worker(file, {
    workerData: setup,
    execArgv: process.execArgv.filter((a) => a.startsWith("--cpu-prof")), // profiles, if this process takes them
    // Matching makes many short-lived objects: with V8's default young generation, GC was over a
    // quarter of a worker's time (measured at 1M trades: allocation phase 9.9 s -> 8.1-8.9 s at 64 MB).
    resourceLimits: { maxYoungGenerationSizeMb: 64 },
  });
}

function workerScript(): string | null {
  const name = "allocation-worker.mjs";
  const candidates = [path.join(process.cwd(), "lib", "compute", name)];
  try {
    candidates.unshift(path.join(path.dirname(fileURLToPath(import.meta.url)), name));
  } catch {
    // bundled: import.meta.url is not this file's
  }
  return candidates.find((file) => fs.existsSync(file)) ?? null;
}

function ready(worker: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    const done = (error?: Error) => {
      clearTimeout(timer);
      worker.off("message", onMessage).off("error", done).off("exit", onExit);
      if (error) reject(error);
      else resolve();
    };
    const onMessage = (m: FromWorker) => (m.type === "ready" ? done() : done(new Error(`unexpected ${m.type}`)));
    const onExit = (code: number) => done(new Error(`exited with code ${code}`));
    worker.on("message", onMessage).on("error", done).on("exit", onExit);
  });
}

export class AllocationWorkers {
  /** Allocation rows the workers produced so far. */
  rowsWritten = 0;

  constructor(private readonly workers: Worker[]) {}

  /** Ends the workers (allocate does when it finishes; this is for a run that fails before). */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  /**
   * The allocation COPY lines of `trades` (runTradesQuery's COPY text). After the last line the
   * findings of every symbol are in `collector`, in the trades' symbol order. `progress` is
   * awaited after each batch of lines (it may throw to cancel). The workers end either way.
   */
  async *allocate(
    trades: AsyncIterable<string>,
    collector: FindingsCollector,
    progress: (p: WorkerProgress) => Promise<void>,
  ): AsyncIterable<string> {
    const { workers } = this;
    const output = new AsyncQueue<{ worker: number; rows: string }>();
    const pending = new Array<number>(workers.length).fill(0);
    const findings = new Map<string, SymbolFindings>();
    const symbolOrder: string[] = [];
    const status: WorkerProgress = { trades: 0, symbolsFinished: 0 };
    let finished = 0;
    let stopped = false;
    let wakeReader: (() => void) | null = null;
    const wake = () => {
      const w = wakeReader;
      wakeReader = null;
      w?.();
    };

    workers.forEach((worker, i) => {
      worker.on("message", (m: FromWorker) => {
        if (m.type === "rows") {
          pending[i]! -= m.consumed;
          status.trades += m.trades;
          this.rowsWritten += m.count;
          output.push({ worker: i, rows: m.rows });
          wake();
        } else if (m.type === "symbol") {
          findings.set(m.findings.symbol, m.findings);
          status.symbolsFinished++;
        } else if (m.type === "done") {
          if (++finished === workers.length) output.end();
        } else if (m.type === "error") {
          output.fail(new Error(`allocation worker ${i}: ${m.message}`));
        }
      });
      worker.on("error", (error) => output.fail(error));
      worker.on("exit", (code) => {
        if (finished < workers.length) output.fail(new Error(`allocation worker ${i} exited (code ${code}) before it finished`));
      });
    });

    const router = new TradeRouter(
      workers.length,
      (symbol) => {
        symbolOrder.push(decodeCopyField(symbol) ?? "");
        return pending.indexOf(Math.min(...pending));
      },
      (worker, lines) => {
        pending[worker]! += lines.length;
        workers[worker]!.postMessage({ type: "trades", lines } satisfies ToWorker);
      },
    );
    const reading = (async () => {
      for await (const chunk of trades) {
        router.push(chunk);
        while (!stopped && pending.reduce((a, b) => a + b, 0) > MAX_PENDING_CHARS) await new Promise<void>((r) => (wakeReader = r));
        if (stopped) return; // leaving the loop ends the COPY that reads the trades
      }
      router.end();
      for (const worker of workers) worker.postMessage({ type: "end" } satisfies ToWorker);
    })().catch((error: unknown) => output.fail(error));

    try {
      for await (const { worker, rows } of output) {
        if (rows) yield rows;
        workers[worker]!.postMessage({ type: "written", chars: rows.length } satisfies ToWorker);
        await progress(status);
      }
      await reading;
      for (const symbol of symbolOrder) {
        const found = findings.get(symbol);
        if (!found) throw new Error(`the allocation workers gave no findings for ${symbol}`);
        collector.absorb(found);
      }
    } finally {
      stopped = true;
      wake();
      await reading;
      await this.close();
    }
  }
}
