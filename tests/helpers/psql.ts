// Runs the real psql binary (Debian's postgresql-client) on a file, as the seed's operator does.
import { spawn } from "node:child_process";
import path from "node:path";
import type { SqlClient } from "@/db/sql-client";

export const PSQL_DIR = path.resolve(import.meta.dirname, "..", "..", "drizzle", "psql");

export function runPsqlFile(url: string, file: string, stdin = ""): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("psql", [url, "-f", path.join(PSQL_DIR, file)], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/**
 * The schema as the catalog sees it, one sorted line per fact: relations, columns (type, null,
 * default), indexes, constraints, view bodies, functions, comments, and the migrations recorded
 * as applied. Two databases with equal lines have the same schema.
 */
export async function catalogLines(db: SqlClient): Promise<string[]> {
  const rows = await db.query<{ line: string }>(`
    WITH rels AS (
      SELECT c.oid, n.nspname || '.' || c.relname AS name, c.relkind FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname IN ('public', 'drizzle') AND c.relkind IN ('r', 'v', 'm', 'S', 'i', 'p')
    )
    SELECT 'relation ' || name || ' ' || relkind::text AS line FROM rels
    UNION ALL
    SELECT 'column ' || r.name || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
      || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
    FROM rels r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE r.relkind IN ('r', 'v', 'm', 'p')
    UNION ALL
    SELECT 'index ' || pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN rels r ON r.oid = i.indrelid
    UNION ALL
    SELECT 'constraint ' || r.name || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN rels r ON r.oid = c.conrelid
    UNION ALL
    SELECT 'view ' || r.name || ' ' || pg_get_viewdef(r.oid) FROM rels r WHERE r.relkind IN ('v', 'm')
    UNION ALL
    SELECT 'comment ' || r.name || ' ' || d.description FROM rels r JOIN pg_description d ON d.objoid = r.oid AND d.objsubid = 0
    UNION ALL
    SELECT 'function ' || p.proname || ' ' || pg_get_functiondef(p.oid) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'public'
    UNION ALL
    SELECT 'trigger ' || t.tgname || ' ' || pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN rels r ON r.oid = t.tgrelid WHERE NOT t.tgisinternal
    UNION ALL
    SELECT 'applied ' || created_at || ' ' || hash FROM drizzle.__drizzle_migrations
    UNION ALL
    SELECT 'setting ' || key || '=' || value FROM fifo_settings
    ORDER BY 1`);
  return rows.map((r) => r.line);
}
