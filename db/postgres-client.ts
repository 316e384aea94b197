// SqlClient over a real PostgreSQL server (node-postgres pool, COPY through pg-copy-streams).
//
// Availability: waiting for a pooled connection and (for the dashboard's pool) each statement have
// time limits, so a saturated pool or a query stuck behind a lock ends in DatabaseBusyError (the
// dashboard shows "busy, try again") instead of a request that hangs. Checked-out connections get
// an error listener: a server that ends a connection (restart, pg_terminate_backend) fails the
// work on it instead of crashing the process, and such a connection is never returned to the pool.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { DATABASE_BUSY_DIGEST } from "@/lib/database-busy";
import {
  type CopyRow,
  type SqlClient,
  decodeCopyStream,
  encodeCopyRow,
  quoteIdent,
  typeParsers,
} from "./sql-client";

const types = {
  getTypeParser: ((oid: number, format?: string) =>
    typeParsers[oid] ?? pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

type Queryable = pg.Pool | pg.PoolClient;

export { DATABASE_BUSY_DIGEST };

/** The database did not answer in time (pool exhausted, statement timeout, too many clients). */
export class DatabaseBusyError extends Error {
  /** Next.js keeps an error's own digest: the dashboard's error page recognizes this one. */
  readonly digest = DATABASE_BUSY_DIGEST;
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`The database is busy (${reason}); try again in a moment.`, options);
    this.name = "DatabaseBusyError";
  }
}

export interface PostgresClientOptions {
  /** Pool size (default 10). */
  max?: number;
  /** Longest wait for a pooled connection, ms (default FIFO_DB_CONNECT_TIMEOUT_MS or 10,000). */
  connectTimeoutMs?: number;
  /** statement_timeout of every connection, ms; 0 = none (default). */
  statementTimeoutMs?: number;
}

export function createPostgresClient(connectionString: string, options: PostgresClientOptions = {}): SqlClient {
  const statementTimeout = Math.max(0, Math.floor(options.statementTimeoutMs ?? 0));
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? (Number(process.env.FIFO_DB_CONNECT_TIMEOUT_MS) || 10_000),
    keepAlive: true,
    types,
    options: `-c timezone=UTC${statementTimeout > 0 ? ` -c statement_timeout=${statementTimeout}` : ""}`,
    application_name: "fifo-allocations",
  });
  // An idle client losing its server must not crash the process; the next query reconnects.
  pool.on("error", () => {});
  return wrap(pool, pool, false);
}

/** Turns "no answer in time" errors into DatabaseBusyError; others pass unchanged. */
export function asBusyError(error: unknown): unknown {
  const e = error as { code?: string; message?: string } | null;
  if (!e || e instanceof DatabaseBusyError) return error;
  if (e.message?.includes("timeout exceeded when trying to connect")) return new DatabaseBusyError("no free connection", { cause: error });
  if (e.code === "57014" && /statement timeout/.test(e.message ?? "")) return new DatabaseBusyError("a query took too long", { cause: error });
  if (e.code === "55P03") return new DatabaseBusyError("a lock is held by other work", { cause: error });
  if (e.code === "53300") return new DatabaseBusyError("too many connections", { cause: error });
  return error;
}

/** A pooled connection with an error listener for as long as it is checked out. */
async function checkOut(pool: pg.Pool): Promise<{ connection: pg.PoolClient; release(failed?: unknown): void }> {
  let connection: pg.PoolClient;
  try {
    connection = await pool.connect();
  } catch (error) {
    throw asBusyError(error);
  }
  let broken: Error | null = null;
  const onError = (error: Error) => (broken = error);
  connection.on("error", onError);
  return {
    connection,
    release(failed?: unknown) {
      connection.removeListener("error", onError);
      // A connection that failed mid-way may hold session state (locks, an aborted COPY): discard it.
      connection.release(broken ?? (failed ? (failed instanceof Error ? failed : new Error(String(failed))) : undefined));
    },
  };
}

function wrap(pool: pg.Pool, target: Queryable, inTransaction: boolean): SqlClient {
  const client: SqlClient = {
    engine: "postgres",
    parallelTransactions: !inTransaction,
    async query<R>(text: string, params?: readonly unknown[]) {
      try {
        const result = await target.query(text, params as unknown[] | undefined);
        return result.rows as R[];
      } catch (error) {
        throw asBusyError(error);
      }
    },
    async exec(text) {
      try {
        await target.query(text);
      } catch (error) {
        throw asBusyError(error);
      }
    },
    async transaction(fn) {
      if (inTransaction) return fn(client);
      const { connection, release } = await checkOut(pool);
      let failure: unknown = null;
      try {
        await connection.query("BEGIN");
        const result = await fn(wrap(pool, connection, true));
        await connection.query("COMMIT");
        return result;
      } catch (error) {
        // Only a connection that cannot even roll back is discarded.
        await connection.query("ROLLBACK").catch((rollbackError: unknown) => (failure = rollbackError));
        throw asBusyError(error);
      } finally {
        release(failure);
      }
    },
    async session(fn) {
      if (inTransaction) return fn(client);
      const { connection, release } = await checkOut(pool);
      let failure: unknown = null;
      try {
        return await fn(wrap(pool, connection, true));
      } catch (error) {
        failure = error; // session state (an advisory lock) must not leak to the next borrower
        throw error;
      } finally {
        release(failure);
      }
    },
    async copyIn(table, columns, rows) {
      let count = 0;
      async function* lines() {
        let batch = "";
        for await (const row of rows as AsyncIterable<CopyRow>) {
          batch += encodeCopyRow(row);
          count++;
          if (batch.length > 1 << 16) {
            yield batch;
            batch = "";
          }
        }
        if (batch) yield batch;
      }
      await client.copyInText(table, columns, lines());
      return count;
    },
    async copyInText(table, columns, chunks) {
      await withConnection(pool, target, async (connection) => {
        const sql = `COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(", ")}) FROM STDIN`;
        await pipeline(Readable.from(chunks), connection.query(copyFrom(sql)));
      });
    },
    copyOut(query) {
      return { [Symbol.asyncIterator]: () => decodeCopyStream(client.copyOutText(query))[Symbol.asyncIterator]() };
    },
    copyOutText(query) {
      return {
        async *[Symbol.asyncIterator]() {
          if (inTransaction) {
            const connection = target as pg.PoolClient;
            const stream = connection.query(copyTo(`COPY (${query}) TO STDOUT`));
            stream.setEncoding("utf8");
            let finished = false;
            try {
              yield* stream as AsyncIterable<string>;
              finished = true;
            } finally {
              // Abandoned half-way (a cancelled run), the COPY would block every later statement of
              // the transaction: end the connection, so the transaction fails and it is discarded.
              if (!finished) endConnection(connection);
            }
            return;
          }
          const { connection, release } = await checkOut(pool);
          let finished = false;
          try {
            const stream = connection.query(copyTo(`COPY (${query}) TO STDOUT`));
            stream.setEncoding("utf8");
            yield* stream as AsyncIterable<string>;
            finished = true;
          } finally {
            // Abandoned half-way, the COPY may still be running on this connection: discard it.
            release(finished ? undefined : new Error("COPY abandoned"));
          }
        },
      };
    },
    async close() {
      if (!inTransaction) await pool.end();
    },
  };
  return client;
}

function endConnection(connection: pg.PoolClient): void {
  (connection as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
}

async function withConnection<T>(pool: pg.Pool, target: Queryable, fn: (c: pg.PoolClient) => Promise<T>) {
  if (target !== pool) return fn(target as pg.PoolClient);
  const { connection, release } = await checkOut(pool);
  let failure: unknown = null;
  try {
    return await fn(connection);
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    release(failure);
  }
}
