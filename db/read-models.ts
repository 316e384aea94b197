// Pre-aggregated read models for the dashboard, refreshed by every successful run inside its
// transaction. (The dashboard work fills this in.)
import type { SqlClient } from "./sql-client";

export async function refreshReadModels(_db: SqlClient, _version: number): Promise<void> {}
