// A worker thread of a full run (lib/compute/allocate-on-workers.ts): takes whole symbols' COPY
// lines of trades, puts them through the engine, and sends back allocation COPY lines and, as
// each symbol ends, its findings. Stops taking work while too much of its output is unwritten.
import { parentPort, workerData } from "node:worker_threads";
import { allocationCopyLine } from "@/db/compute/allocation-store";
import { tradeFromCopyFields } from "@/db/compute/trade-stream";
import { decodeCopyLine } from "@/db/sql-client";
import type { FromWorker, ToWorker, WorkerSetup } from "./allocate-on-workers";
import { FindingsCollector } from "./findings";
import { TradeAllocator } from "./trade-allocator";

const MAX_UNWRITTEN_CHARS = 8 << 20;

const port = parentPort!;
const setup = workerData as WorkerSetup;
const post = (message: FromWorker) => port.postMessage(message);
const collector = new FindingsCollector(setup.settings);
const allocator = new TradeAllocator(setup.method, new Map(), collector, {
  symbolFinished: (symbol) => post({ type: "symbol", findings: collector.takeSymbol(symbol) }),
});
const inbox: string[] = [];
let ended = false;
let failed = false;
let unwritten = 0;

port.on("message", (message: ToWorker) => {
  if (message.type === "trades") inbox.push(message.lines);
  else if (message.type === "end") ended = true;
  else unwritten -= message.chars; // "written"
  pump();
});

function pump(): void {
  if (failed) return;
  try {
    while (inbox.length > 0 && unwritten < MAX_UNWRITTEN_CHARS) allocateLines(inbox.shift()!);
    if (ended && inbox.length === 0) {
      ended = false;
      allocator.finish();
      post({ type: "done" });
    }
  } catch (error) {
    failed = true;
    post({ type: "error", message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
}

function allocateLines(lines: string): void {
  let rows = "";
  let count = 0;
  let trades = 0;
  for (let start = 0; start < lines.length; trades++) {
    const end = lines.indexOf("\n", start);
    const trade = tradeFromCopyFields(decodeCopyLine(lines.slice(start, end)));
    start = end + 1;
    for (const a of allocator.apply(trade)) {
      rows += allocationCopyLine(setup.version, setup.runId, a);
      count++;
    }
  }
  unwritten += rows.length;
  post({ type: "rows", rows, count, trades, consumed: lines.length });
}

post({ type: "ready" });
