// The rendered-page cache (page-cache.ts) in front of a Node.js request handler (Next.js's): a
// signed-in GET of a page is answered from memory when the same user asked for the same URL at
// the same database snapshot; otherwise the handler renders it and the answer is kept.
// Everything else (actions, sign-in, assets, API, exports, anonymous visitors) goes straight through.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { isCacheablePath, pageCacheKey, type CachedPage, type PageCache } from "./page-cache";

export interface Viewer {
  id: number;
  role: string;
  snapshot: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** Header telling whether a page came from the cache (hit) or was rendered (miss). */
export const PAGE_CACHE_HEADER = "x-fifo-page-cache";

const NOT_REPLAYED = new Set(["content-length", "transfer-encoding", "connection", "keep-alive", "date", PAGE_CACHE_HEADER]);

export function cachedPageHandler(
  handle: Handler,
  cache: PageCache,
  findViewer: (sessionToken: string) => Promise<Viewer | null>,
  sessionCookie: string,
): Handler {
  return async (req, res) => {
    if (req.method !== "GET" || !req.url || !isCacheablePath(req.url)) return handle(req, res);
    const token = readCookie(req.headers.cookie, sessionCookie);
    const viewer = token ? await findViewer(token).catch(() => null) : null;
    if (!viewer) return handle(req, res); // the app redirects, or answers the error itself
    cache.observe(viewer.snapshot);
    const key = pageCacheKey({ userId: viewer.id, role: viewer.role, snapshot: viewer.snapshot, url: req.url, headers: req.headers });
    const hit = cache.get(key, Date.now());
    if (hit) {
      replay(res, hit);
      return;
    }
    res.setHeader(PAGE_CACHE_HEADER, "miss");
    record(res, (page) => cache.set(key, viewer.snapshot, page));
    return handle(req, res);
  };
}

function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

function replay(res: ServerResponse, page: CachedPage): void {
  res.statusCode = page.status;
  for (const [name, value] of Object.entries(page.headers)) res.setHeader(name, value);
  res.setHeader("content-length", page.body.length);
  res.setHeader(PAGE_CACHE_HEADER, "hit");
  res.end(page.body);
}

/** Copies what the handler writes; hands a complete 200 page without cookies to `keep` once it is all sent. */
function record(res: ServerResponse, keep: (page: CachedPage) => void): void {
  const chunks: Buffer[] = [];
  let headHeaders: OutgoingHttpHeaders = {};
  const collect = (chunk: unknown, encoding: unknown) => {
    if (typeof chunk === "string") chunks.push(Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8"));
    else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
  };
  const { write, end, writeHead } = res;
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    const headers = args.find((arg) => typeof arg === "object" && arg !== null && !Array.isArray(arg));
    if (headers) headHeaders = { ...headHeaders, ...(headers as OutgoingHttpHeaders) };
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse["writeHead"];
  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    collect(chunk, rest[0]);
    return (write as (...a: unknown[]) => boolean).apply(this, [chunk, ...rest]);
  } as ServerResponse["write"];
  res.end = function (this: ServerResponse, ...args: unknown[]) {
    if (args[0] !== undefined && typeof args[0] !== "function") collect(args[0], args[1]);
    return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse["end"];
  // 'finish' means every byte went out; an aborted answer ends with 'close' alone and is dropped.
  res.once("finish", () => {
    if (res.statusCode !== 200) return;
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries({ ...res.getHeaders(), ...headHeaders })) {
      const lower = name.toLowerCase();
      if (value === undefined || NOT_REPLAYED.has(lower)) continue;
      headers[lower] = Array.isArray(value) ? value.map(String) : String(value);
    }
    if (headers["set-cookie"]) return;
    const type = String(headers["content-type"] ?? "");
    if (!type.startsWith("text/html") && !type.startsWith("text/x-component")) return;
    keep({ status: 200, headers, body: Buffer.concat(chunks), storedAt: Date.now() });
  });
}
