// Raw database error text of a failed run is for admins: the run page and the history show viewers
// and reviewers a summary, admins the message itself. Pages rendered to HTML as in a request.
import { isValidElement, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { RunsTable } from "@/components/runs/RunsTable";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { setDb } from "@/db/client";
import RunPage from "@/app/(app)/runs/[id]/page";
import RunsPage from "@/app/(app)/runs/page";
import { RUN_ERROR_SUMMARY, runErrorForRole } from "@/components/runs/run-errors";
import { createTestDatabase, type TestDatabase } from "../../helpers/database";
import { signInAs } from "../../helpers/auth";

const RAW = 'duplicate key value violates unique constraint "fifo_allocations_pkey" (host db-prod-7.internal)';
let t: TestDatabase;
let runId: number;

beforeAll(async () => {
  t = await createTestDatabase();
  setDb(t.db);
  const [row] = await t.db.query<{ id: number }>(
    `INSERT INTO fifo_computation_log (allocation_version, mode, status, started_by, started_at, finished_at, errors)
     VALUES (1, 'full', 'failed', 'test', now(), now(), jsonb_build_array(jsonb_build_object('message', $1::text)))
     RETURNING id`,
    [RAW],
  );
  runId = row!.id;
});
afterAll(async () => {
  setDb(undefined);
  await t.drop();
});

/**
 * The text a page sends: its own JSX's strings, and every server component of `render` rendered
 * to HTML (async children such as the review list are not needed here and are skipped).
 */
async function html(page: Promise<ReactNode>, render: ((props: never) => ReactNode)[] = []): Promise<string> {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (node == null || typeof node === "boolean") return;
    if (typeof node === "string" || typeof node === "number") return void out.push(String(node));
    if (Array.isArray(node)) return node.forEach(walk);
    if (isValidElement(node)) {
      const props = node.props as Record<string, unknown>;
      if (render.includes(node.type as never)) return void out.push(renderToStaticMarkup(node));
      for (const [key, value] of Object.entries(props)) if (key === "children" || typeof node.type !== "string") walk(value);
    }
  };
  walk(await page);
  return out.join(" ");
}

describe("a failed run's error text", () => {
  test.each(["viewer", "reviewer"] as const)("a %s sees the summary on the run page and in the history", async (role) => {
    await signInAs(t.db, role);
    const runPage = await html(RunPage({ params: Promise.resolve({ id: String(runId) }) }));
    expect(runPage).toContain(RUN_ERROR_SUMMARY);
    expect(runPage).not.toContain("fifo_allocations_pkey");
    const history = await html(RunsPage({ searchParams: Promise.resolve({}) }), [RunsTable as never]);
    expect(history).not.toContain("fifo_allocations_pkey");
  });

  test("an admin sees the message itself", async () => {
    await signInAs(t.db, "admin");
    const runPage = await html(RunPage({ params: Promise.resolve({ id: String(runId) }) }));
    expect(runPage).toContain("fifo_allocations_pkey");
    const history = await html(RunsPage({ searchParams: Promise.resolve({}) }), [RunsTable as never]);
    expect(history).toContain("fifo_allocations_pkey");
  });

  test("our own messages (cancelled, stale) are shown to everyone", () => {
    expect(runErrorForRole("cancelled by a@example.com before it started", false)).toBe("cancelled by a@example.com before it started");
    expect(runErrorForRole("stale: the process running it stopped before it finished", false)).toMatch(/^stale:/);
    expect(runErrorForRole("connect ECONNREFUSED 10.0.0.5:5432", false)).toBe(RUN_ERROR_SUMMARY);
  });
});
