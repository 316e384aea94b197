// One short-lived connection to a PostgreSQL server for administration (creating and dropping the
// databases that tests, the e2e server and the benches work in), closed whatever happens.
import pg from "pg";

export async function withAdminClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}
