// Streams the rows of a filtered, ordered query for CSV exports of any size, in keyset chunks:
// each chunk is one short query (`... WHERE <filters> AND (order keys) > (last row's keys) ORDER
// BY ... LIMIT n`) and nothing is held between chunks: no transaction, no lock, no pooled
// connection. A viewer who pauses a download therefore blocks nobody (on PGlite, whose single
// connection every request shares, an open transaction would block the whole app; on PostgreSQL
// each stalled download would pin a pool connection). The next chunk is read only when the client
// has taken the previous one, so memory stays bounded by one chunk.
//
// The price: chunks are separate snapshots, so a run that commits in the middle of a download can
// show in its later rows. Every row is still unique and in order (the keys are unique).
import type { SqlClient } from "../sql-client";
import { SqlParams } from "./params";

export type ExportRow = (string | null)[];

export interface KeysetQuery {
  /** `FROM ...` with its joins. */
  from: string;
  /** SQL expressions of the output columns (values added through p). */
  columns(p: SqlParams): string[];
  /** Filter conditions (values added through p). */
  conditions(p: SqlParams): string[];
  /**
   * Order keys, all in one direction with PostgreSQL's default NULL placement. Only the first may
   * be NULL; all together must be unique (end with the table's tie-breaker).
   */
  keys: string[];
  dir: "asc" | "desc";
}

const FIRST_CHUNK_ROWS = 500; // the first bytes go out quickly
const MAX_CHUNK_ROWS = 10_000; // later chunks grow: fewer queries for big downloads

/** Every row of the query in key order, each value as PostgreSQL's text (like COPY), null for NULL. */
export function keysetRows(
  db: SqlClient,
  query: KeysetQuery,
  { firstChunk = FIRST_CHUNK_ROWS, maxChunk = MAX_CHUNK_ROWS }: { firstChunk?: number; maxChunk?: number } = {},
): AsyncIterable<ExportRow> {
  return {
    async *[Symbol.asyncIterator]() {
      let after: (string | null)[] | null = null;
      let limit = firstChunk;
      for (;;) {
        const p = new SqlParams();
        const columns = query.columns(p).map((sql, i) => `(${sql})::text AS c${i}`);
        const keys = query.keys.map((sql, i) => `(${sql})::text AS k${i}`);
        const where: string[] = [...query.conditions(p), ...(after ? [afterCondition(p, query, after)] : [])];
        const d = query.dir.toUpperCase();
        const rows: Record<string, string | null>[] = await db.query<Record<string, string | null>>(
          `SELECT ${[...columns, ...keys].join(", ")} ${query.from}
           ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
           ORDER BY ${query.keys.map((k) => `${k} ${d}`).join(", ")} LIMIT ${limit}`,
          p.values,
        );
        for (const row of rows) yield columns.map((_, i) => row[`c${i}`] ?? null);
        if (rows.length < limit) return;
        const last: Record<string, string | null> = rows[rows.length - 1]!;
        after = query.keys.map((_, i): string | null => last[`k${i}`] ?? null);
        limit = Math.min(limit * 2, maxChunk);
      }
    },
  };
}

/**
 * Rows after `after` in key order. ASC puts NULLs of the first key last, DESC first; the other
 * keys are never NULL. Parameters are untyped text: PostgreSQL gives each the type of its key.
 */
function afterCondition(p: SqlParams, query: KeysetQuery, after: (string | null)[]): string {
  const [first, ...rest] = query.keys;
  const op = query.dir === "asc" ? ">" : "<";
  const restAfter = () => `(${rest.join(", ")}) ${op} (${after.slice(1).map((v) => p.add(v)).join(", ")})`;
  if (after[0] === null) {
    if (rest.length === 0) return "false";
    return query.dir === "asc" ? `(${first} IS NULL AND ${restAfter()})` : `(${first} IS NOT NULL OR ${restAfter()})`;
  }
  const all = `(${query.keys.join(", ")}) ${op} (${after.map((v) => p.add(v)).join(", ")})`;
  return query.dir === "asc" ? `(${all} OR ${first} IS NULL)` : all;
}
