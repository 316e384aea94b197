// SqlClient over embedded PGlite: one in-process connection, on disk or in memory. COPY goes
// through PGlite's /dev/blob device, in batches so memory stays bounded.
import { PGlite, type Transaction } from "@electric-sql/pglite";
import { type CopyRow, type SqlClient, decodeCopyStream, encodeCopyRow, quoteIdent, typeParsers } from "./sql-client";

const COPY_BATCH_CHARS = 8 << 20;

export async function createPgliteClient(dataDir?: string): Promise<SqlClient> {
  const db = await PGlite.create(dataDir, { parsers: typeParsers });
  await db.exec("SET TIME ZONE 'UTC'");
  return wrap(db, db);
}

type Target = PGlite | Transaction;

function wrap(db: PGlite, target: Target): SqlClient {
  const inTransaction = target !== db;
  const client: SqlClient = {
    engine: "pglite",
    parallelTransactions: false,
    async query<R>(text: string, params?: readonly unknown[]) {
      const result = await target.query<R>(text, params as unknown[] | undefined);
      return result.rows;
    },
    async exec(text) {
      await target.exec(text);
    },
    async transaction(fn) {
      if (inTransaction) return fn(client);
      return db.transaction((tx) => fn(wrap(db, tx)));
    },
    async session(fn) {
      return fn(client);
    },
    async copyIn(table, columns, rows) {
      let count = 0;
      async function* lines() {
        for await (const row of rows as AsyncIterable<CopyRow>) {
          count++;
          yield encodeCopyRow(row);
        }
      }
      await client.copyInText(table, columns, lines());
      return count;
    },
    async copyInText(table, columns, chunks) {
      const sql = `COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(", ")}) FROM '/dev/blob'`;
      let batch: string[] = [];
      let chars = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        await target.query(sql, [], { blob: new Blob(batch) });
        batch = [];
        chars = 0;
      };
      for await (const chunk of chunks) {
        batch.push(chunk);
        chars += chunk.length;
        if (chars >= COPY_BATCH_CHARS) await flush();
      }
      await flush();
    },
    copyOut(query) {
      return { [Symbol.asyncIterator]: () => decodeCopyStream(client.copyOutText(query))[Symbol.asyncIterator]() };
    },
    copyOutText(query) {
      return {
        async *[Symbol.asyncIterator]() {
          const result = await target.query(`COPY (${query}) TO '/dev/blob'`);
          if (result.blob) yield* textChunks(result.blob);
        },
      };
    },
    async close() {
      if (!inTransaction) await db.close();
    },
  };
  return client;
}

async function* textChunks(blob: Blob): AsyncIterable<string> {
  const decoder = new TextDecoder();
  const reader = blob.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    yield decoder.decode(value, { stream: true });
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}
