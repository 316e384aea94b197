// One snapshot of the trades for a whole run on a real server. The run reads trades on one
// connection while it writes on another, and fingerprints the trades at the end: in READ COMMITTED
// a trade committed meanwhile (a reviewer's manual buy) would be counted in the fingerprint but
// never allocated, and every later incremental run would trust that fingerprint. Reading and
// fingerprinting in one REPEATABLE READ transaction makes them see exactly the same trades.
import type { SqlClient } from "../sql-client";

/** Runs fn with a reader whose every query sees the same snapshot (PGlite: the client itself). */
export async function withTradesSnapshot<T>(db: SqlClient, fn: (reader: SqlClient) => Promise<T>): Promise<T> {
  if (db.engine !== "postgres") return fn(db);
  return db.transaction(async (reader) => {
    await reader.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    // It waits idle while the run writes on its other connection: that is expected here.
    await reader.exec("SET LOCAL idle_in_transaction_session_timeout = 0; SET LOCAL statement_timeout = 0; SET LOCAL jit = off");
    return fn(reader);
  });
}
