// Rendered pages kept in memory, keyed by who asks, what they ask for and the database state they
// were rendered from. The state is PostgreSQL's snapshot (`pg_current_snapshot()`: xmin, xmax and
// the transactions in progress). Two equal snapshots see exactly the same committed data; any
// commit in between makes every later snapshot differ. So a page rendered after a request saw
// snapshot S shows the data of S (or later), and is served again only to requests that see S:
// nothing can have changed in between. A first commit of anything (a run, a review decision, a
// bot's new trade) makes every cached page a miss.
//
// What the database does not hold (the clock: "stale" runs, the default tax year) is bounded by
// `maxAgeMs`. Pure: no database, no framework; scripts/page-server.ts wires it to HTTP.

export interface CachedPage {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
  storedAt: number;
}

/** Request headers that change what Next.js answers for the same URL (RSC navigations, compression). */
export const VARYING_REQUEST_HEADERS = [
  "accept-encoding",
  "rsc",
  "next-router-state-tree",
  "next-router-prefetch",
  "next-router-segment-prefetch",
  "next-url",
  "host",
  "x-forwarded-host",
  "x-forwarded-proto",
] as const;

export interface PageKeyParts {
  userId: number;
  role: string;
  snapshot: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

export function pageCacheKey(parts: PageKeyParts): string {
  const varying = VARYING_REQUEST_HEADERS.map((name) => {
    const value = parts.headers[name];
    return Array.isArray(value) ? value.join(",") : (value ?? "");
  });
  return JSON.stringify([parts.userId, parts.role, parts.snapshot, parts.url, ...varying]);
}

/** Paths that are never cached: assets, API and export routes, sign-in (they set cookies or stream). */
export function isCacheablePath(url: string): boolean {
  const path = url.split("?")[0] ?? "";
  return !/^\/(?:_next|api|export|sign-in|forbidden)(?:\/|$)/.test(path) && !/\.[a-z0-9]+$/i.test(path);
}

export interface PageCacheOptions {
  maxBytes: number;
  maxAgeMs: number;
  /** a page larger than this is served but not kept */
  maxEntryBytes?: number;
}

/** An LRU map of rendered pages bounded in bytes; a newer snapshot drops every older page at once. */
export class PageCache {
  private readonly entries = new Map<string, CachedPage>();
  private bytes = 0;
  private snapshot: string | null = null;

  constructor(private readonly options: PageCacheOptions) {}

  get size(): number {
    return this.entries.size;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  /** Tells the cache which snapshot requests see now: pages of any other snapshot can never be served again. */
  observe(snapshot: string): void {
    if (snapshot === this.snapshot) return;
    this.snapshot = snapshot;
    this.entries.clear();
    this.bytes = 0;
  }

  get(key: string, now: number): CachedPage | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (now - entry.storedAt > this.options.maxAgeMs) {
      this.bytes -= entry.body.length;
      return undefined;
    }
    this.entries.set(key, entry); // most recently used last
    return entry;
  }

  /** Keeps a page rendered for `snapshot`, unless requests have seen a newer one meanwhile. */
  set(key: string, snapshot: string, page: CachedPage): void {
    if (snapshot !== this.snapshot) return;
    if (page.body.length > (this.options.maxEntryBytes ?? this.options.maxBytes / 8)) return;
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.bytes -= old.body.length;
    }
    this.entries.set(key, page);
    this.bytes += page.body.length;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.options.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.body.length;
    }
  }
}

/** FIFO_PAGE_CACHE=off turns it off; FIFO_PAGE_CACHE_MB (64) and FIFO_PAGE_CACHE_SECONDS (30) size it. */
export function pageCacheFromEnv(env: Record<string, string | undefined>): PageCache | null {
  if (env.FIFO_PAGE_CACHE === "off" || env.FIFO_PAGE_CACHE === "0") return null;
  const megabytes = Number(env.FIFO_PAGE_CACHE_MB);
  const seconds = Number(env.FIFO_PAGE_CACHE_SECONDS);
  return new PageCache({
    maxBytes: (Number.isFinite(megabytes) && megabytes > 0 ? megabytes : 64) * 1024 * 1024,
    maxAgeMs: (Number.isFinite(seconds) && seconds >= 0 ? seconds : 30) * 1000,
  });
}
