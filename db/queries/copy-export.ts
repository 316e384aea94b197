// Streams the rows of a filtered query with COPY ... TO, for CSV exports of any size. COPY takes
// no parameters, so the filter values go into a temporary table (pg_temp.export_params, dropped at
// commit) that the query reads; that needs one connection, hence one transaction held open while
// the rows stream. Rows pass through a small bounded buffer: the database is read only as fast as
// the HTTP client downloads. If the client goes away, the COPY is cancelled on the server.
//
// Note: on the embedded engine (PGlite) COPY output is materialized by PGlite itself before it is
// decoded; streaming without memory bound is a property of the PostgreSQL server engine.
import type { SqlClient } from "../sql-client";
import { SqlParams } from "./params";

export type ExportRow = (string | null)[];

const BATCH_ROWS = 2_000;
const MAX_BUFFERED_BATCHES = 4;

/** Runs `build(params)` as a COPY with its values in a temp table, yielding decoded rows. */
export function copyWithParams(db: SqlClient, build: (p: SqlParams) => string): AsyncIterable<ExportRow> {
  return {
    [Symbol.asyncIterator]() {
      return stream(db, build)[Symbol.asyncIterator]();
    },
  };
}

async function* stream(db: SqlClient, build: (p: SqlParams) => string): AsyncGenerator<ExportRow> {
  const params = new SqlParams("temp-table");
  const query = build(params);
  const buffer: ExportRow[][] = [];
  let finished = false;
  let failure: unknown = null;
  let cancelled = false;
  let wakeConsumer: (() => void) | null = null;
  let wakeProducer: (() => void) | null = null;
  let backendPid: number | null = null;
  let copying = false;
  const notify = (which: "consumer" | "producer") => {
    const wake = which === "consumer" ? wakeConsumer : wakeProducer;
    if (which === "consumer") wakeConsumer = null;
    else wakeProducer = null;
    wake?.();
  };

  const producer = db
    .transaction(async (tx) => {
      if (tx.engine === "postgres") {
        const [row] = await tx.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
        backendPid = row?.pid ?? null;
      }
      await tx.exec("CREATE TEMP TABLE export_params (n int PRIMARY KEY, v text) ON COMMIT DROP");
      if (params.values.length > 0) {
        const tuples = params.values.map((_, i) => `($${2 * i + 1}::int, $${2 * i + 2}::text)`).join(", ");
        await tx.query(
          `INSERT INTO export_params (n, v) VALUES ${tuples}`,
          params.values.flatMap((v, i) => [i + 1, v === null || v === undefined ? null : String(v)]),
        );
      }
      let batch: ExportRow[] = [];
      copying = true;
      for await (const row of tx.copyOut(query)) {
        if (cancelled) continue; // draining after a cancel request keeps the connection usable
        batch.push(row);
        if (batch.length >= BATCH_ROWS) {
          buffer.push(batch);
          batch = [];
          notify("consumer");
          while (buffer.length >= MAX_BUFFERED_BATCHES && !cancelled) {
            await new Promise<void>((resolve) => (wakeProducer = resolve));
          }
        }
      }
      copying = false;
      if (batch.length > 0 && !cancelled) buffer.push(batch);
    })
    .catch((error: unknown) => {
      if (!cancelled) failure = error;
    })
    .finally(() => {
      finished = true;
      notify("consumer");
    });

  try {
    for (;;) {
      const next = buffer.shift();
      if (next) {
        notify("producer");
        yield* next;
        continue;
      }
      if (finished) break;
      await new Promise<void>((resolve) => (wakeConsumer = resolve));
    }
    if (failure) throw failure;
  } finally {
    if (!finished) {
      cancelled = true;
      notify("producer");
      // Only while the COPY runs: once it is over, the connection may already serve someone else.
      if (backendPid !== null && copying) await db.query("SELECT pg_cancel_backend($1)", [backendPid]).catch(() => {});
    }
    await producer;
  }
}
