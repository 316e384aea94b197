// Answers read from the read models (dash_* tables), kept in memory per server process and keyed
// by the source stamps they were read at (db/read-models.ts). A run rewrites its version's
// snapshot rows, which changes the stamp, so an entry is never served for newer data: the next
// page view reads afresh under the new stamp. The read models hold no user-specific data, and
// every page still checks the viewer's role before it asks for them.

import type { SqlClient } from "./sql-client";

const MAX_ENTRIES = 200;
/** Per database client: two databases (tests, the bench) can share versions, run ids and stamps. */
const caches = new WeakMap<SqlClient, Map<string, Promise<unknown>>>();

/**
 * `load()`'s answer for `key` at these stamps, from memory when it was read at the same stamps
 * before. A null stamp (read models not up to date: rebuilt just now or being rebuilt) reads
 * without keeping the answer.
 */
export function cachedReadModel<T>(db: SqlClient, key: string, stamps: readonly (string | null)[], load: () => Promise<T>): Promise<T> {
  if (stamps.some((s) => s === null)) return load();
  const entries = caches.get(db) ?? new Map<string, Promise<unknown>>();
  caches.set(db, entries);
  const full = `${key}@${stamps.join(",")}`;
  const hit = entries.get(full) as Promise<T> | undefined;
  if (hit) {
    entries.delete(full); // most recently used last
    entries.set(full, hit);
    return hit;
  }
  const answer = load();
  entries.set(full, answer);
  answer.catch(() => entries.delete(full));
  while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  return answer;
}
