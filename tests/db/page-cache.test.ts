// The rendered-page cache in front of a real handler that reads the database: a page is served
// again only while no commit happened since it was rendered, per user and URL, and never for
// anonymous visitors, actions or answers that set cookies. Real database (PostgreSQL or PGlite).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSession, findSessionUserWithSnapshot } from "@/db/sessions";
import { createUser } from "@/db/users";
import { cachedPageHandler, PAGE_CACHE_HEADER } from "@/lib/http/cached-handler";
import { PageCache } from "@/lib/http/page-cache";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertTrades } from "../helpers/trades";

let t: TestDatabase;
let server: http.Server;
let base: string;
let renders = 0;
let pauseRender: Promise<void> | null = null;
let ann: string;
let bob: string;

async function tradeCount(): Promise<number> {
  const [row] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM trade_records");
  return row!.n;
}

beforeAll(async () => {
  t = await createTestDatabase();
  const viewer = await createUser(t.db, { email: "ann@example.com", password: "ann-password-1", role: "viewer" }, { cost: 4 });
  const reviewer = await createUser(t.db, { email: "bob@example.com", password: "bob-password-1", role: "reviewer" }, { cost: 4 });
  ann = (await createSession(t.db, viewer.id)).token;
  bob = (await createSession(t.db, reviewer.id)).token;
  const render = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    renders++;
    if (pauseRender) await pauseRender;
    const n = await tradeCount();
    if (req.url === "/with-cookie") res.setHeader("set-cookie", "x=1");
    res.statusCode = req.url === "/missing" ? 404 : 200;
    res.setHeader("content-type", "text/html; charset=utf-8");
    res.write("<p>");
    const token = /fifo_session=([^;]+)/.exec(req.headers.cookie ?? "")?.[1] ?? "nobody";
    res.end(`${n} trades at ${req.url} (${req.method}) for ${token.slice(0, 8)}</p>`);
  };
  const cache = new PageCache({ maxBytes: 1 << 20, maxAgeMs: 60_000 });
  server = http.createServer(cachedPageHandler(render, cache, (token) => findSessionUserWithSnapshot(t.db, token), "fifo_session"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await t.drop();
});

beforeEach(() => {
  renders = 0;
});

async function get(path: string, token?: string, init: RequestInit = {}) {
  const response = await fetch(base + path, { ...init, headers: { ...(token ? { cookie: `fifo_session=${token}` } : {}), ...init.headers } });
  return { status: response.status, cache: response.headers.get(PAGE_CACHE_HEADER), body: await response.text() };
}

/**
 * Asks until the answer comes from the cache, and checks nothing was rendered for it. Other test
 * files commit on the same server at any moment, and any commit in the cluster (rightly) turns
 * the next request into a miss.
 */
async function getCached(path: string, token: string) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const rendersBefore = renders;
    const answer = await get(path, token);
    if (answer.cache === "hit") {
      expect(renders).toBe(rendersBefore);
      return answer;
    }
  }
  throw new Error(`${path} never came from the cache`);
}

describe("rendered-page cache", () => {
  it("serves the same user the same page again without rendering while nothing was committed", async () => {
    const first = await get("/trades?page=1", ann);
    expect(first).toMatchObject({ status: 200, cache: "miss" });
    expect(await getCached("/trades?page=1", ann)).toEqual({ ...first, cache: "hit" });
  });

  it("renders again after any commit, and shows the new data", async () => {
    const before = await get("/pnl", ann);
    await getCached("/pnl", ann);
    await insertTrades(t.db, [{ side: "buy", size: "1", price: "100", time: "2025-01-01T00:00:00Z" }]);
    const after = await get("/pnl", ann);
    expect(after.cache).toBe("miss");
    expect(after.body).toBe(before.body.replace(/^<p>\d+/, `<p>${await tradeCount()}`));
    expect(after.body).not.toBe(before.body);
  });

  it("never serves a page rendered while a commit landed as if it were the new state", async () => {
    await get("/race", ann);
    let resume!: () => void;
    pauseRender = new Promise((resolve) => (resume = resolve));
    const rendering = get("/race?fresh", ann); // saw the snapshot before the commit
    await new Promise((resolve) => setTimeout(resolve, 50));
    await insertTrades(t.db, [{ side: "buy", size: "2", price: "100", time: "2025-01-02T00:00:00Z" }]);
    pauseRender = null;
    resume();
    expect((await rendering).cache).toBe("miss");
    const next = await get("/race?fresh", ann);
    expect(next.cache).toBe("miss");
    expect(next.body).toContain(`<p>${await tradeCount()} trades`);
  });

  it("keeps people apart: another user's first view is a render of their own", async () => {
    await getCached("/review", ann);
    const bobs = await get("/review", bob);
    expect(bobs.cache).toBe("miss");
    expect(bobs.body).toContain(`for ${bob.slice(0, 8)}`);
    const again = await getCached("/review", bob);
    expect(again.body).toContain(`for ${bob.slice(0, 8)}`);
    expect(again.body).not.toContain(`for ${ann.slice(0, 8)}`);
  });

  it("never caches anonymous visitors, unknown or foreign tokens, actions, cookies or errors", async () => {
    for (let i = 0; i < 2; i++) {
      expect((await get("/anon")).cache).toBeNull();
      expect((await get("/anon", "not-a-session")).cache).toBeNull();
      expect((await get("/posted", ann, { method: "POST", body: "x" })).cache).toBeNull();
      expect((await get("/with-cookie", ann)).cache).toBe("miss");
      expect((await get("/missing", ann)).cache).toBe("miss");
      expect((await get("/export/trades", ann)).cache).toBeNull();
    }
    expect(renders).toBe(12);
  });
});
