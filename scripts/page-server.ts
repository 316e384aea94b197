// One Next.js production server (what `next start` runs) with the rendered-page cache in front
// (lib/http/page-cache.ts): a signed-in reader who asks again for a page whose data did not
// change gets it from memory instead of a new render. FIFO_PAGE_CACHE=off serves every page fresh.
//
//   node --import tsx scripts/page-server.ts -p 3000 -H 127.0.0.1
import http from "node:http";
import path from "node:path";
import next from "next";
import { getDb } from "@/db/client";
import { findSessionUserWithSnapshot } from "@/db/sessions";
import { SESSION_COOKIE } from "@/lib/auth/session-cookie";
import { cachedPageHandler } from "@/lib/http/cached-handler";
import { pageCacheFromEnv } from "@/lib/http/page-cache";

function option(flag: string, fallback: string): string {
  const at = process.argv.indexOf(flag);
  return at > 0 && process.argv[at + 1] ? process.argv[at + 1]! : fallback;
}

async function main() {
  const root = path.resolve(import.meta.dirname, "..");
  const port = Number(option("-p", process.env.PORT ?? "3000"));
  const hostname = option("-H", process.env.HOSTNAME ?? "0.0.0.0");
  // `next` is CommonJS: its factory is the module itself or its default, depending on the loader.
  const factory = ((next as unknown as { default?: typeof next }).default ?? next) as typeof next;
  const app = factory({ dev: false, dir: root, hostname, port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const render = (req: http.IncomingMessage, res: http.ServerResponse) => handle(req, res);
  const cache = pageCacheFromEnv(process.env);
  const serve = cache
    ? cachedPageHandler(render, cache, async (token) => findSessionUserWithSnapshot(await getDb(), token), SESSION_COOKIE)
    : render;
  const server = http.createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      console.error("page-server:", error);
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });
  server.listen(port, hostname, () => {
    console.log(`▲ Next.js ready on http://${hostname}:${port}${cache ? "" : " (page cache off)"}`);
  });
  const stop = () => {
    server.close(() => process.exit(0));
    // Open keep-alive connections would hold close() up; nothing is left to finish after a moment.
    setTimeout(() => process.exit(0), 2000).unref();
    server.closeIdleConnections();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error: unknown) => {
  console.error("page-server: could not start:", error);
  process.exit(1);
});
