import { describe, expect, it } from "vitest";
import { isCacheablePath, PageCache, pageCacheFromEnv, pageCacheKey, type CachedPage } from "@/lib/http/page-cache";

const page = (text: string, storedAt = 0): CachedPage => ({ status: 200, headers: { "content-type": "text/html" }, body: Buffer.from(text), storedAt });
const key = (over: Partial<Parameters<typeof pageCacheKey>[0]> = {}) =>
  pageCacheKey({ userId: 1, role: "viewer", snapshot: "10:12:11", url: "/trades", headers: {}, ...over });

describe("page cache key", () => {
  it("differs by user, role, snapshot, URL and the headers Next.js answers differently to", () => {
    const base = key();
    expect(key()).toBe(base);
    expect(key({ userId: 2 })).not.toBe(base);
    expect(key({ role: "admin" })).not.toBe(base);
    expect(key({ snapshot: "10:13:" })).not.toBe(base);
    expect(key({ url: "/trades?page=2" })).not.toBe(base);
    expect(key({ headers: { rsc: "1" } })).not.toBe(base);
    expect(key({ headers: { "next-router-state-tree": "%5B%5D" } })).not.toBe(base);
    expect(key({ headers: { "accept-encoding": "gzip" } })).not.toBe(base);
    // headers that do not change the answer do not split the cache
    expect(key({ headers: { "user-agent": "curl", cookie: "fifo_session=abc" } })).toBe(base);
  });

  it("never caches assets, API, exports or sign-in", () => {
    for (const path of ["/", "/trades?page=2", "/review/groups", "/trades/12", "/compare?baseline=1"]) expect(isCacheablePath(path)).toBe(true);
    for (const path of ["/_next/static/x.js", "/api/health", "/export/trades?version=1", "/sign-in", "/sign-in?next=/", "/favicon.ico", "/forbidden"]) {
      expect(isCacheablePath(path)).toBe(false);
    }
  });
});

describe("PageCache", () => {
  it("serves a page only for the snapshot it was rendered at; a new snapshot drops every page", () => {
    const cache = new PageCache({ maxBytes: 1000, maxAgeMs: 60_000 });
    cache.observe("s1");
    cache.set("a", "s1", page("one"));
    expect(cache.get("a", 0)?.body.toString()).toBe("one");
    cache.observe("s2");
    expect(cache.get("a", 0)).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.totalBytes).toBe(0);
  });

  it("drops a page rendered for a snapshot that requests no longer see", () => {
    const cache = new PageCache({ maxBytes: 1000, maxAgeMs: 60_000 });
    cache.observe("s1");
    cache.observe("s2"); // another request saw a newer snapshot while this page was rendering
    cache.set("a", "s1", page("old"));
    expect(cache.get("a", 0)).toBeUndefined();
  });

  it("expires pages after maxAge (what the clock changes: stale runs, default dates)", () => {
    const cache = new PageCache({ maxBytes: 1000, maxAgeMs: 30_000 });
    cache.observe("s");
    cache.set("a", "s", page("x", 1_000));
    expect(cache.get("a", 31_000)).toBeDefined();
    expect(cache.get("a", 31_001)).toBeUndefined();
    expect(cache.totalBytes).toBe(0);
  });

  it("stays within its byte budget, evicting the least recently used pages", () => {
    const cache = new PageCache({ maxBytes: 30, maxAgeMs: 60_000, maxEntryBytes: 30 });
    cache.observe("s");
    cache.set("a", "s", page("a".repeat(10)));
    cache.set("b", "s", page("b".repeat(10)));
    cache.set("c", "s", page("c".repeat(10)));
    expect(cache.get("a", 0)).toBeDefined(); // a is now the most recent
    cache.set("d", "s", page("d".repeat(10)));
    expect(cache.get("b", 0)).toBeUndefined();
    expect(["a", "c", "d"].map((k) => cache.get(k, 0) !== undefined)).toEqual([true, true, true]);
    expect(cache.totalBytes).toBe(30);
    cache.set("huge", "s", page("h".repeat(31)));
    expect(cache.get("huge", 0)).toBeUndefined();
    cache.set("a", "s", page("A".repeat(5)));
    expect(cache.totalBytes).toBe(25);
  });

  it("is on by default and configured by FIFO_PAGE_CACHE, _MB and _SECONDS", () => {
    expect(pageCacheFromEnv({})).toBeInstanceOf(PageCache);
    expect(pageCacheFromEnv({ FIFO_PAGE_CACHE: "off" })).toBeNull();
    expect(pageCacheFromEnv({ FIFO_PAGE_CACHE: "0" })).toBeNull();
    const small = pageCacheFromEnv({ FIFO_PAGE_CACHE_MB: "1", FIFO_PAGE_CACHE_SECONDS: "0" })!;
    small.observe("s");
    small.set("a", "s", page("x", 0));
    expect(small.get("a", 0)).toBeDefined();
    expect(small.get("a", 1)).toBeUndefined();
  });
});
