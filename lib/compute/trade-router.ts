// Splits the COPY text of a run's trades, ordered by symbol, into whole symbols for worker
// threads: each symbol's lines go to one worker, picked when its first line arrives. Works on
// chunks, not lines: a chunk whose first and last lines share a symbol is all that symbol's
// (the lines are sorted by it), so most chunks are passed on without being split.

/** Lines of COPY text whose second field is the symbol (runTradesQuery). */
export class TradeRouter {
  private carry = "";
  private symbol: string | null = null;
  private worker = -1;
  private readonly outbox: string[][];
  private readonly outboxChars: number[];

  constructor(
    workers: number,
    /** The worker for a symbol's lines (given the symbol's COPY text, escapes and all). */
    private readonly pick: (symbol: string) => number,
    /** Whole lines for a worker, at least `batchChars` of them unless it is the end. */
    private readonly send: (worker: number, lines: string) => void,
    private readonly batchChars = 1 << 18,
  ) {
    this.outbox = Array.from({ length: workers }, () => []);
    this.outboxChars = new Array<number>(workers).fill(0);
  }

  push(chunk: string): void {
    const text = this.carry + chunk;
    const end = text.lastIndexOf("\n") + 1;
    this.carry = text.slice(end);
    let pos = 0;
    while (pos < end) {
      const symbol = symbolAt(text, pos);
      if (symbol !== this.symbol) {
        this.symbol = symbol;
        this.worker = this.pick(symbol);
      }
      const lastLine = text.lastIndexOf("\n", end - 2) + 1;
      let next = end;
      if (symbolAt(text, lastLine) !== symbol) {
        next = pos;
        while (next < end && symbolAt(text, next) === symbol) next = text.indexOf("\n", next) + 1;
      }
      this.queue(text.slice(pos, next));
      pos = next;
    }
  }

  /** After the last chunk: everything still held goes out. */
  end(): void {
    if (this.carry) this.push("\n");
    this.outbox.forEach((_, worker) => this.flush(worker));
  }

  private queue(lines: string): void {
    const w = this.worker;
    this.outbox[w]!.push(lines);
    this.outboxChars[w]! += lines.length;
    if (this.outboxChars[w]! >= this.batchChars) this.flush(w);
  }

  private flush(worker: number): void {
    if (this.outboxChars[worker] === 0) return;
    this.send(worker, this.outbox[worker]!.join(""));
    this.outbox[worker] = [];
    this.outboxChars[worker] = 0;
  }
}

function symbolAt(text: string, lineStart: number): string {
  const first = text.indexOf("\t", lineStart);
  return text.slice(first + 1, text.indexOf("\t", first + 1));
}
