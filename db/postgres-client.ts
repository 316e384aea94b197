// SqlClient over a real PostgreSQL server (node-postgres pool, COPY through pg-copy-streams).
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
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

export function createPostgresClient(connectionString: string, options: { max?: number } = {}): SqlClient {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    types,
    options: "-c timezone=UTC",
    application_name: "fifo-allocations",
  });
  // An idle client losing its server must not crash the process; the next query reconnects.
  pool.on("error", () => {});
  return wrap(pool, pool, false);
}

function wrap(pool: pg.Pool, target: Queryable, inTransaction: boolean): SqlClient {
  const client: SqlClient = {
    engine: "postgres",
    async query<R>(text: string, params?: readonly unknown[]) {
      const result = await target.query(text, params as unknown[] | undefined);
      return result.rows as R[];
    },
    async exec(text) {
      await target.query(text);
    },
    async transaction(fn) {
      if (inTransaction) return fn(client);
      const connection = await pool.connect();
      try {
        await connection.query("BEGIN");
        const result = await fn(wrap(pool, connection, true));
        await connection.query("COMMIT");
        return result;
      } catch (error) {
        await connection.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        connection.release();
      }
    },
    async copyIn(table, columns, rows) {
      return withConnection(pool, target, async (connection) => {
        const sql = `COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(", ")}) FROM STDIN`;
        const stream = connection.query(copyFrom(sql));
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
        await pipeline(Readable.from(lines()), stream);
        return count;
      });
    },
    copyOut(query) {
      return {
        async *[Symbol.asyncIterator]() {
          const connection = inTransaction ? (target as pg.PoolClient) : await pool.connect();
          try {
            const stream = connection.query(copyTo(`COPY (${query}) TO STDOUT`));
            stream.setEncoding("utf8");
            yield* decodeCopyStream(stream);
          } finally {
            if (!inTransaction) connection.release();
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

async function withConnection<T>(pool: pg.Pool, target: Queryable, fn: (c: pg.PoolClient) => Promise<T>) {
  if (target !== pool) return fn(target as pg.PoolClient);
  const connection = await pool.connect();
  try {
    return await fn(connection);
  } finally {
    connection.release();
  }
}
