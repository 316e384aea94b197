// Whole-table statements (validation checks, fingerprints) planned for what they are: with some
// planner methods turned off, and without JIT (compiling a one-off scan costs more than it saves).
import type { SqlClient } from "../sql-client";

/**
 * Runs `fn` in a transaction with `settings` (planner switches such as enable_nestloop) and JIT
 * off. Inside the caller's transaction when it has one: its own values are restored after.
 */
export function withPlannerOff<T>(db: SqlClient, settings: readonly string[], fn: (tx: SqlClient) => Promise<T>): Promise<T> {
  const all = [...settings, ...(db.engine === "postgres" ? ["jit"] : [])];
  return db.transaction(async (tx) => {
    const [before] = await tx.query<Record<string, string>>(`SELECT ${all.map((s) => `current_setting('${s}') AS ${s}`).join(", ")}`);
    for (const setting of all) await tx.exec(`SET LOCAL ${setting} = off`);
    try {
      return await fn(tx);
    } finally {
      for (const setting of all) await tx.query("SELECT set_config($1, $2, true)", [setting, before![setting]]);
    }
  });
}
