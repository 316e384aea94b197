// Whole-table statements (validation checks, fingerprints, read-model builds) planned for what
// they are: with some planner methods switched, and without JIT (compiling a one-off scan costs
// more than it saves).
import type { SqlClient } from "../sql-client";

/**
 * Runs `fn` in a transaction with `settings` (planner switches such as enable_nestloop) and JIT
 * off. Inside the caller's transaction when it has one: its own values are restored after.
 */
export function withPlannerOff<T>(db: SqlClient, settings: readonly string[], fn: (tx: SqlClient) => Promise<T>): Promise<T> {
  const all = [...settings, ...(db.engine === "postgres" ? ["jit"] : [])];
  return withLocalSettings(db, Object.fromEntries(all.map((s) => [s, "off"])), fn);
}

/** Runs `fn` in a transaction with these settings; the values they had are restored after. */
export function withLocalSettings<T>(db: SqlClient, settings: Record<string, "on" | "off">, fn: (tx: SqlClient) => Promise<T>): Promise<T> {
  const names = Object.keys(settings);
  return db.transaction(async (tx) => {
    const [before] = await tx.query<Record<string, string>>(`SELECT ${names.map((s) => `current_setting('${s}') AS ${s}`).join(", ")}`);
    for (const name of names) await tx.exec(`SET LOCAL ${name} = ${settings[name]}`);
    try {
      return await fn(tx);
    } finally {
      for (const name of names) await tx.query("SELECT set_config($1, $2, true)", [name, before![name]]);
    }
  });
}
