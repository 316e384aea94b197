// Every URL parameter and form field of every page, route and action, fed garbage (fast-check):
// the parsers never throw and only let values in range through; pages render a cleaned-up view
// or a 404; routes answer below 500; actions return a clean error, and when they refuse nothing
// in the database has changed. Runs against a real database with a computed version.
import fc from "fast-check";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readdirSync } from "node:fs";
import { join, resolve, sep } from "node:path";
import { signIn } from "@/app/sign-in/actions";
import { setDb } from "@/db/client";
import { GENERIC_ERROR } from "@/lib/auth/action";
import { parseBaseline } from "@/db/queries/compare";
import type { SqlClient } from "@/db/sql-client";
import { computeAllocations } from "@/lib/compute/run-computation";
import { parseReviewQuery, PAGE_SIZES as REVIEW_PAGE_SIZES } from "@/lib/review/query";
import * as reviewSchemas from "@/lib/review/schemas";
import { TABLES } from "@/lib/table/tables";
import { isCalendarDay, MAX_ID, MAX_PAGE, MAX_VERSION, PAGE_SIZES } from "@/lib/table/url-state";
import { signInAs } from "../helpers/auth";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { NextNavigationError } from "../helpers/next-state";
import { insertSyntheticTrades } from "../helpers/trades";
import { garbage, garbageFields, toFormData, toQuery } from "./garbage";

const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
const inRange = (n: unknown, max: number) => n === undefined || (Number.isSafeInteger(n) && (n as number) >= 1 && (n as number) <= max);

describe("URL parsers", () => {
  test("every table's parse keeps page, size, sort, version, ids and days in range", () => {
    for (const table of Object.values(TABLES)) {
      fc.assert(
        fc.property(garbageFields(["page", "size", "sort", "version", "symbol", "from", "to", "trade", "severity", "status", "type", "side", "source"]), (params) => {
          const state = table.parse(params);
          expect(inRange(state.page, MAX_PAGE)).toBe(true);
          expect(PAGE_SIZES).toContain(state.size);
          expect(table.definition.sortable).toContain(state.sort.column);
          const filters = state.filters as Record<string, unknown>;
          expect(inRange(filters.version, MAX_VERSION)).toBe(true);
          expect(inRange(filters.trade, MAX_ID)).toBe(true);
          for (const day of [filters.from, filters.to]) if (day !== undefined) expect(isCalendarDay(day as string)).toBe(true);
        }),
        { numRuns: 300 },
      );
    }
  });

  test("the review queue's query never throws and stays in range", () => {
    fc.assert(
      fc.property(garbageFields(["status", "severity", "type", "symbol", "assignee", "version", "cause", "month", "dust", "trade", "sort", "page", "size"]), (params) => {
        const query = parseReviewQuery(params);
        expect(inRange(query.version, MAX_VERSION)).toBe(true);
        expect(inRange(query.trade, MAX_ID)).toBe(true);
        expect(inRange(query.page, MAX_PAGE)).toBe(true);
        expect(REVIEW_PAGE_SIZES).toContain(query.size);
        if (query.assignee && query.assignee !== "me" && query.assignee !== "none") expect(inRange(Number(query.assignee), MAX_ID)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  test("the compare baseline is old, snapshot or a version in range", () => {
    fc.assert(
      fc.property(garbage, (value) => {
        const baseline = parseBaseline(value, 1);
        if (baseline.kind === "version") expect(inRange(baseline.version, MAX_VERSION)).toBe(true);
      }),
    );
  });

  test("review form schemas accept only ids, row versions and selections in range", () => {
    const schemas = Object.entries(reviewSchemas).filter(([, s]) => typeof s === "object" && s !== null && "safeParse" in s);
    expect(schemas.length).toBeGreaterThan(10);
    for (const [, schema] of schemas) {
      fc.assert(
        fc.property(garbageFields(["id", "rowVersion", "items", "assigneeId", "notes", "resolutionType", "reason", "size", "price", "orderTime", "feeUsd"]), (fields) => {
          const parsed = (schema as { safeParse(v: unknown): { success: boolean; data?: unknown } }).safeParse(fields);
          if (!parsed.success || typeof parsed.data !== "object" || parsed.data === null) return;
          const data = parsed.data as { id?: number; rowVersion?: number; items?: { id: number; rowVersion: number }[]; assigneeId?: number };
          const shape = (schema as { shape?: Record<string, unknown> }).shape ?? {};
          const refs = [...("id" in shape ? [data as { id: number; rowVersion: number }] : []), ...(data.items ?? [])];
          for (const ref of refs) {
            expect(ref.id !== undefined && inRange(ref.id, MAX_ID)).toBe(true);
            expect(ref.rowVersion !== undefined && inRange(ref.rowVersion, 2_147_483_647)).toBe(true);
          }
          expect(inRange(data.assigneeId, MAX_ID)).toBe(true);
        }),
        { numRuns: 200 },
      );
    }
  });
});

// --- against the database ------------------------------------------------------------------------

let t: TestDatabase;
/** Ids of real rows, mixed into the garbage so that text and numbers reach the SQL behind the ids. */
let VALID: Record<string, readonly string[]> = {};
beforeAll(async () => {
  t = await createTestDatabase();
  await insertSyntheticTrades(t.db, 300, 2);
  await computeAllocations(t.db, { version: 1, symbols: null, mode: "full", startedBy: "fuzz" });
  const admin = await signInAs(t.db, "admin", "fuzz-admin@example.com");
  const viewer = await signInAs(t.db, "viewer", "fuzz-viewer@example.com");
  await signInAs(t.db, "admin", "fuzz-admin@example.com");
  const items = await t.db.query<{ id: string; row_version: number }>(`SELECT id, row_version FROM manual_review_queue ORDER BY id LIMIT 3`);
  const [run] = await t.db.query<{ id: string }>(`SELECT max(id) AS id FROM fifo_computation_log`);
  const [trade] = await t.db.query<{ id: string }>(`SELECT min(id) AS id FROM trade_records WHERE side = 'sell'`);
  expect(items.length).toBeGreaterThan(0);
  VALID = {
    id: items.map((i) => String(i.id)),
    rowVersion: items.map((i) => String(i.row_version)),
    items: [items.map((i) => `${i.id}:${i.row_version}`).join(",")],
    version: ["1"],
    userId: [String(viewer.id)],
    assigneeId: [String(admin.id)],
    runId: [String(run!.id)],
    trade: [String(trade!.id)],
  };
});
afterAll(async () => {
  setDb(undefined);
  await t.drop();
});

/** What an action may write; read models (dash_*) and sign-in buckets are caches, not data. */
async function fingerprint(db: SqlClient): Promise<string> {
  const [row] = await db.query<{ f: string }>(
    `SELECT concat_ws('|',
       (SELECT md5(coalesce(string_agg(id || ':' || side || size || price || order_time || status, ',' ORDER BY id), '')) FROM trade_records),
       (SELECT md5(coalesce(string_agg(id || ':' || status || cancel_requested, ',' ORDER BY id), '')) FROM fifo_computation_log),
       (SELECT md5(coalesce(string_agg(id || ':' || status || row_version || coalesce(assigned_to, 0), ',' ORDER BY id), '')) FROM manual_review_queue),
       (SELECT count(*) FROM manual_review_history),
       (SELECT count(*) FROM fifo_allocations),
       (SELECT count(*) FROM allocation_version_deletions),
       (SELECT md5(coalesce(string_agg(key || '=' || value, ',' ORDER BY key), '')) FROM fifo_settings),
       (SELECT md5(coalesce(string_agg(r::text, ',' ORDER BY r::text), '')) FROM app_users r),
       (SELECT md5(coalesce(string_agg(r::text, ',' ORDER BY r::text), '')) FROM fifo_cause_decisions r),
       (SELECT md5(coalesce(string_agg(r::text, ',' ORDER BY r::text), '')) FROM fifo_version_follow r),
       (SELECT md5(coalesce(string_agg(r::text, ',' ORDER BY r::text), '')) FROM fifo_cutovers r),
       (SELECT md5(coalesce(string_agg(r::text, ',' ORDER BY r::text), '')) FROM fifo_manual_trades r),
       (SELECT md5(coalesce(string_agg(r::text, ',' ORDER BY r::text), '')) FROM fifo_version_methods r),
       (SELECT count(*) FROM app_user_changes),
       (SELECT count(*) FROM fifo_validation_results),
       (SELECT count(*) FROM app_sessions)) AS f`,
  );
  return row!.f;
}

type ActionOutcome = { ok: boolean; error?: string };
type AnyAction = (...args: unknown[]) => Promise<ActionOutcome>;

/**
 * Every action module under app/ (actions.ts: the "use server" entry points; *-actions.ts: the
 * authorizedAction wrappers they call) with the form fields of each exported action. A new module
 * or action without its fields here fails the first test below.
 */
const ACTION_FIELDS: Record<string, Record<string, readonly string[]>> = {
  "app/(app)/review/actions.ts": {
    claimItem: ["id", "rowVersion"],
    takeOverItem: ["id", "rowVersion", "notes"],
    assignItem: ["id", "rowVersion", "assigneeId", "notes"],
    releaseItem: ["id", "rowVersion", "notes"],
    resolveItem: ["id", "rowVersion", "resolutionType", "notes"],
    dismissItem: ["id", "rowVersion", "reason", "notes"],
    reopenItem: ["id", "rowVersion", "notes", "manualBuy"],
    recordCostBasis: ["id", "rowVersion", "size", "price", "orderTime", "feeUsd", "notes"],
    bulkClaim: ["items", "items[]"],
    bulkAssign: ["items", "assigneeId", "notes"],
    bulkRelease: ["items", "notes"],
    bulkResolve: ["items", "resolutionType", "notes"],
    bulkDismiss: ["items", "reason", "notes"],
    bulkReopen: ["items", "notes"],
    dismissDust: ["items", "notes"],
    groupAct: ["op", "version", "symbol", "type", "cause", "month", "asOf", "assigneeId", "resolutionType", "reason", "notes"],
  },
  "app/(app)/runs/actions.ts": {
    startRun: ["scope", "symbols", "version", "mode", "method"],
    cancelRun: ["runId"],
    pauseQueue: ["paused"],
  },
  "app/(app)/runs/run-actions.ts": {
    startRunAction: ["scope", "symbols", "version", "mode", "method"],
    cancelRunAction: ["runId"],
    pauseQueueAction: ["paused"],
  },
  "app/(app)/versions/actions.ts": {
    setCurrentVersion: ["version", "backupAcknowledged", "overrideReason"],
    validateVersion: ["version"],
    setFollow: ["version", "enabled", "intervalSeconds"],
    setValidationPeriod: ["version", "from", "to"],
    deleteVersion: ["version", "confirm"],
  },
  "app/(app)/versions/version-actions.ts": {
    setCurrentVersionAction: ["version", "backupAcknowledged", "overrideReason"],
    validateVersionAction: ["version"],
    setFollowAction: ["version", "enabled", "intervalSeconds"],
    setValidationPeriodAction: ["version", "from", "to"],
    deleteVersionAction: ["version", "confirm"],
  },
  "app/(app)/discrepancies/actions.ts": {
    acceptCauseAction: ["version", "cause", "reason"],
    undoCauseAction: ["decisionId", "reason"],
  },
  "app/(app)/users/actions.ts": {
    createUser: ["email", "role", "password"],
    changeRole: ["userId", "role"],
    setDisabled: ["userId", "disabled"],
    resetPassword: ["userId", "password"],
  },
  "app/(app)/users/user-actions.ts": {
    createUserAction: ["email", "role", "password"],
    changeRoleAction: ["userId", "role"],
    setDisabledAction: ["userId", "disabled"],
    resetPasswordAction: ["userId", "password"],
  },
  // fuzzed in "sign-in" below; signOut takes no input
  "app/sign-in/actions.ts": { signIn: ["email", "password", "next"], signOut: [] },
};

function actionModuleFiles(): string[] {
  return (readdirSync("app", { recursive: true }) as string[])
    .map((file) => join("app", file).split(sep).join("/"))
    .filter((file) => /(^|\/)(actions|[\w-]+-actions)\.ts$/.test(file))
    .sort();
}

async function actionsOf(file: string): Promise<Record<string, AnyAction>> {
  const module = (await import(/* @vite-ignore */ resolve(file))) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(module).filter(([, value]) => typeof value === "function")) as Record<string, AnyAction>;
}

/** "use server" entry points take (previous state, form data); the authorizedAction wrappers take the form data. */
const call = (action: AnyAction, fd: FormData) => (action.length >= 2 ? action(null, fd) : action(fd));

describe("server actions with garbage", () => {
  test("every action module under app/ and every action in it has its fields listed here", async () => {
    const files = actionModuleFiles();
    expect(files.length).toBeGreaterThanOrEqual(9);
    expect(files).toEqual(Object.keys(ACTION_FIELDS).sort());
    for (const file of files) expect(Object.keys(await actionsOf(file)).sort(), file).toEqual(Object.keys(ACTION_FIELDS[file]!).sort());
  });

  for (const [file, actions] of Object.entries(ACTION_FIELDS)) {
    if (file === "app/sign-in/actions.ts") continue;
    for (const [name, fields] of Object.entries(actions)) {
      test(`${file} ${name}: a clean refusal, and nothing written when refused`, async () => {
        await signInAs(t.db, "admin", "fuzz-admin@example.com"); // a users action may have signed everyone out
        const action = (await actionsOf(file))[name]!;
        let accepted = 0;
        await fc.assert(
          fc.asyncProperty(garbageFields(fields, VALID), async (input) => {
            const before = await fingerprint(t.db);
            let result: ActionOutcome | null = null;
            try {
              result = await call(action, toFormData(input));
            } catch (error) {
              if (error instanceof NextNavigationError && error.kind === "redirect") return void accepted++;
              throw error;
            }
            expect(result).toMatchObject({ ok: expect.any(Boolean) });
            if (result.ok) return void accepted++;
            expect(result.error).toEqual(expect.any(String));
            expect(result.error).not.toBe(GENERIC_ERROR); // a bug, not a refusal
            expect(await fingerprint(t.db)).toBe(before);
          }),
          { numRuns: RUNS },
        );
        expect(accepted).toBeLessThan(RUNS);
      });
    }
  }

  test("sign-in: field messages or the wrong-credentials message, never a crash", async () => {
    await fc.assert(
      fc.asyncProperty(garbageFields(["email", "password", "next"]), async (input) => {
        const result = await signIn(null, toFormData(input)).catch((error: unknown) => {
          if (error instanceof NextNavigationError) return { ok: true };
          throw error;
        });
        expect(result.ok).toBe(false);
        expect((result as { error: string }).error).not.toBe(GENERIC_ERROR);
      }),
      { numRuns: RUNS },
    );
    await signInAs(t.db, "admin", "fuzz-admin@example.com");
  });
});

// --- pages and routes ---------------------------------------------------------------------------

type Page = (props: { params?: Promise<Record<string, string>>; searchParams?: Promise<Record<string, string | string[]>> }) => Promise<unknown>;

const PAGES: [string, () => Promise<{ default: unknown }>, readonly string[]][] = [
  ["/allocations", () => import("@/app/(app)/allocations/page"), ["version", "symbol", "from", "to", "trade", "sort", "page", "size"]],
  ["/trades", () => import("@/app/(app)/trades/page"), ["version", "symbol", "from", "to", "side", "source", "sort", "page", "size"]],
  ["/unmatched", () => import("@/app/(app)/unmatched/page"), ["version", "symbol", "from", "to", "severity", "status", "sort", "page", "size"]],
  ["/pnl", () => import("@/app/(app)/pnl/page"), ["version", "symbol", "sort", "page", "size"]],
  ["/discrepancies", () => import("@/app/(app)/discrepancies/page"), ["version", "symbol", "from", "to", "type", "sort", "page", "size"]],
  ["/compare", () => import("@/app/(app)/compare/page"), ["version", "against", "symbol", "bucket"]],
  ["/review", () => import("@/app/(app)/review/page"), ["status", "severity", "type", "symbol", "assignee", "version", "cause", "month", "dust", "trade", "sort", "page", "size"]],
  ["/review/groups", () => import("@/app/(app)/review/groups/page"), ["status", "type", "symbol", "version", "cause", "month", "dust"]],
  ["/runs", () => import("@/app/(app)/runs/page"), ["page", "status", "version"]],
  ["/drift", () => import("@/app/(app)/drift/page"), ["version", "from", "to"]],
  ["/tax-lots", () => import("@/app/(app)/tax-lots/page"), ["version", "year", "month"]],
  ["/what-if", () => import("@/app/(app)/what-if/page"), ["fifo", "lifo", "hifo", "symbol"]],
  ["/versions", () => import("@/app/(app)/versions/page"), ["cutover"]],
  ["/", () => import("@/app/(app)/page"), []],
  ["/users", () => import("@/app/(app)/users/page"), []],
  ["/sign-in", () => import("@/app/sign-in/page"), ["next"]],
  ["/forbidden", () => import("@/app/forbidden/page"), ["need"]],
];

const ID_PAGES: [string, () => Promise<{ default: unknown }>][] = [
  ["/trades/[id]", () => import("@/app/(app)/trades/[id]/page")],
  ["/review/[id]", () => import("@/app/(app)/review/[id]/page")],
  ["/runs/[id]", () => import("@/app/(app)/runs/[id]/page")],
];

/** A page either renders or ends in Next's own 404/redirect; anything thrown is a 500. */
async function renders(page: Page, props: Parameters<Page>[0]): Promise<void> {
  try {
    await page(props);
  } catch (error) {
    if (error instanceof NextNavigationError && (error.kind === "notFound" || error.kind === "redirect")) return;
    throw error;
  }
}

/** Every route handler under app/ and the URL parameters it reads; a new one fails the test below. */
const ROUTE_PARAMS: Record<string, readonly string[]> = {
  "/export/[table]": ["version", "symbol", "from", "to", "trade", "sort", "side", "type"],
  "/review/export": ["status", "severity", "type", "symbol", "assignee", "version", "cause", "month", "dust", "trade", "sort"],
  "/runs/[id]/progress": [],
  "/drift/export": ["version", "from", "to"],
  "/tax-lots/export": ["version", "year", "month"],
  "/tax-lots/inventory-export": ["version", "year", "month"],
  "/what-if/export": ["fifo", "lifo", "hifo", "symbol"],
  "/api/health": [],
  "/api/metrics": [],
};

/** URL paths of the app's files named `name` (route groups like (app) are not part of the URL). */
function appPaths(name: "page.tsx" | "route.ts"): string[] {
  return (readdirSync("app", { recursive: true }) as string[])
    .map((file) => file.split(sep).join("/"))
    .filter((file) => file === name || file.endsWith(`/${name}`))
    .map((file) => "/" + file.slice(0, -name.length).split("/").filter((part) => part && !/^\(.*\)$/.test(part)).join("/"))
    .sort();
}

test("every page and route handler under app/ is fuzzed here", () => {
  expect(appPaths("page.tsx")).toEqual([...PAGES.map(([path]) => path), ...ID_PAGES.map(([path]) => path)].sort());
  expect(appPaths("route.ts")).toEqual(Object.keys(ROUTE_PARAMS).sort());
});

describe("pages with garbage parameters render a cleaned-up view or a 404", () => {
  for (const [path, load, keys] of PAGES) {
    test(path, async () => {
      const page = (await load()).default as Page;
      await fc.assert(
        fc.asyncProperty(garbageFields(keys, VALID), async (params) => renders(page, { searchParams: Promise.resolve(params) })),
        { numRuns: RUNS },
      );
    });
  }
  for (const [path, load] of ID_PAGES) {
    test(path, async () => {
      const page = (await load()).default as Page;
      const realIds = [...VALID.id!, ...VALID.runId!, ...VALID.trade!];
      await fc.assert(
        fc.asyncProperty(fc.oneof(garbage, fc.constantFrom(...realIds)), garbageFields(["version"], VALID), async (id, params) =>
          renders(page, { params: Promise.resolve({ id }), searchParams: Promise.resolve(params) }),
        ),
        { numRuns: RUNS },
      );
    });
  }
});

describe("route handlers with garbage answer below 500", () => {
  test("/export/<table>", async () => {
    const { GET } = await import("@/app/(app)/export/[table]/route");
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constantFrom(...Object.keys(TABLES)), garbage), garbageFields(["version", "symbol", "from", "to", "trade", "sort", "side", "type"]), async (table, params) => {
        const response = await GET(new Request(`http://app.test/export/x?${toQuery(params)}`), { params: Promise.resolve({ table }) });
        expect(response.status).toBeLessThan(500);
        await response.text();
      }),
      { numRuns: RUNS },
    );
  });

  test("/review/export", async () => {
    const { GET } = await import("@/app/(app)/review/export/route");
    await fc.assert(
      fc.asyncProperty(garbageFields(["status", "severity", "type", "symbol", "assignee", "version", "cause", "month", "dust", "trade", "sort"]), async (params) => {
        const response = await GET(new NextRequest(`http://app.test/review/export?${toQuery(params)}`));
        expect(response.status).toBeLessThan(500);
        await response.text();
      }),
      { numRuns: RUNS },
    );
  });

  test("/runs/<id>/progress", async () => {
    const { GET } = await import("@/app/(app)/runs/[id]/progress/route");
    await fc.assert(
      fc.asyncProperty(garbage, async (id) => {
        const response = await GET(new Request(`http://app.test/runs/x/progress`), { params: Promise.resolve({ id }) });
        expect([200, 404]).toContain(response.status);
      }),
      { numRuns: RUNS },
    );
  });

  const csvRoutes: [string, () => Promise<{ GET: (request: NextRequest) => Promise<Response> }>][] = [
    ["/drift/export", () => import("@/app/(app)/drift/export/route")],
    ["/tax-lots/export", () => import("@/app/(app)/tax-lots/export/route")],
    ["/tax-lots/inventory-export", () => import("@/app/(app)/tax-lots/inventory-export/route")],
    ["/what-if/export", () => import("@/app/(app)/what-if/export/route")],
  ];
  for (const [path, load] of csvRoutes) {
    test(path, async () => {
      const { GET } = await load();
      await fc.assert(
        fc.asyncProperty(garbageFields(ROUTE_PARAMS[path]!, VALID), async (params) => {
          const response = await GET(new NextRequest(`http://app.test${path}?${toQuery(params)}`));
          expect(response.status).toBeLessThan(500);
          await response.text();
        }),
        { numRuns: RUNS },
      );
    });
  }

  test("/api/health and /api/metrics with garbage parameters and credentials", async () => {
    const { GET: health } = await import("@/app/api/health/route");
    const { GET: metrics } = await import("@/app/api/metrics/route");
    await fc.assert(
      fc.asyncProperty(garbageFields(["version", "format"]), garbage, async (params, credential) => {
        const healthResponse = await health();
        expect([200, 503]).toContain(healthResponse.status);
        await healthResponse.text();
        const headers = new Headers();
        const authorization = `Bearer ${credential}`.replace(/[^\t\x20-\x7e\x80-\xff]/g, "");
        if (credential !== "") headers.set("authorization", authorization);
        const response = await metrics(new Request(`http://app.test/api/metrics?${toQuery(params)}`, { headers }));
        expect([200, 401]).toContain(response.status);
        await response.text();
      }),
      { numRuns: RUNS },
    );
  });
});
