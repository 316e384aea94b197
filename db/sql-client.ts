// The one interface the rest of the project uses to talk to PostgreSQL, whichever engine is behind
// it (a real server through `pg`, or embedded PGlite). Values come back in the same shapes from
// both: numeric as exact strings, bigint as number (ids), timestamps as PostgreSQL's UTC text.

export type Engine = "postgres" | "pglite";

/** A COPY row: one value per column, null for SQL NULL. */
export type CopyRow = ReadonlyArray<string | number | null>;

export interface SqlClient {
  readonly engine: Engine;
  /**
   * True when each `transaction` call gets a connection of its own (a server pool outside any
   * transaction), so several can run at once and see each other's commits.
   */
  readonly parallelTransactions: boolean;
  /** Parameterized query ($1, $2, ...). */
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]>;
  /** Several statements without parameters (migrations). */
  exec(text: string): Promise<void>;
  /** Runs fn in one transaction; nested calls join the outer transaction. */
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
  /**
   * Runs fn on one connection held for its duration, outside a transaction (each statement
   * commits): for session state such as advisory locks. PGlite has one connection anyway.
   */
  session<T>(fn: (session: SqlClient) => Promise<T>): Promise<T>;
  /** Bulk load with COPY ... FROM; returns the number of rows written. */
  copyIn(table: string, columns: readonly string[], rows: Iterable<CopyRow> | AsyncIterable<CopyRow>): Promise<number>;
  /**
   * Streams the rows of a constant query with COPY ... TO (text format). COPY takes no
   * parameters: pass values through a temporary table instead of into the query text.
   */
  copyOut(query: string): AsyncIterable<(string | null)[]>;
  /** copyOut's text as it comes: chunks of COPY text lines, a line possibly split across two. */
  copyOutText(query: string): AsyncIterable<string>;
  /** Bulk load of COPY text already encoded (whole lines, encodeCopyRow's format). */
  copyInText(table: string, columns: readonly string[], chunks: Iterable<string> | AsyncIterable<string>): Promise<void>;
  close(): Promise<void>;
}

export const PG_TYPES = { INT8: 20, NUMERIC: 1700, TIMESTAMP: 1114, TIMESTAMPTZ: 1184, DATE: 1082 } as const;

/** Same parsers on both engines: exact decimals stay strings, ids become numbers. */
export const typeParsers: Record<number, (value: string) => unknown> = {
  [PG_TYPES.INT8]: (v) => toSafeInteger(v),
  [PG_TYPES.NUMERIC]: (v) => v,
  [PG_TYPES.TIMESTAMP]: (v) => v,
  [PG_TYPES.TIMESTAMPTZ]: (v) => v,
  [PG_TYPES.DATE]: (v) => v,
};

function toSafeInteger(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new Error(`bigint ${text} is beyond the range this app reads as a number`);
  return n;
}

export function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unexpected SQL identifier: ${name}`);
  return `"${name}"`;
}

// --- COPY text format ---------------------------------------------------------------------------

const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

export function encodeCopyRow(row: CopyRow): string {
  let line = "";
  for (let i = 0; i < row.length; i++) {
    const value = row[i];
    if (i > 0) line += "\t";
    line += value === null || value === undefined ? "\\N" : escapeCopyText(String(value));
  }
  return line + "\n";
}

/** A text value as one COPY text field (not NULL). */
export function escapeCopyText(text: string): string {
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!) : text;
}

const UNESCAPES: Record<string, string> = { "\\": "\\", t: "\t", n: "\n", r: "\r", b: "\b", f: "\f", v: "\v" };

export function decodeCopyLine(line: string): (string | null)[] {
  const fields = line.split("\t");
  const out: (string | null)[] = new Array(fields.length);
  for (let i = 0; i < fields.length; i++) out[i] = decodeCopyField(fields[i]!);
  return out;
}

/** One field of a COPY text line, as it was before encodeCopyRow escaped it. */
export function decodeCopyField(f: string): string | null {
  if (f === "\\N") return null;
  return f.includes("\\") ? f.replace(/\\(.)/g, (_, c: string) => UNESCAPES[c] ?? c) : f;
}

/** Splits a stream of text chunks into decoded COPY rows. */
export async function* decodeCopyStream(chunks: AsyncIterable<string | Buffer>): AsyncIterable<(string | null)[]> {
  let rest = "";
  for await (const chunk of chunks) {
    const text = rest + (typeof chunk === "string" ? chunk : chunk.toString("utf8"));
    const lines = text.split("\n");
    rest = lines.pop()!;
    for (const line of lines) yield decodeCopyLine(line);
  }
  if (rest.length > 0) yield decodeCopyLine(rest);
}
