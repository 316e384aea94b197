// Three CSV downloads that the browser stops reading (a paused download, a slow link) while a
// viewer browses: every page still answers, and signing in still works. Exports read in keyset
// chunks and hold no transaction, lock or connection while the client is slow (run it with
// E2E_TRADES=30000 so an export is far larger than the socket buffers).
import http from "node:http";
import { expect, test } from "@playwright/test";
import { signIn } from "./fixtures/auth";

const PAGES = [
  ["/", "Overview"],
  ["/unmatched", "Unmatched sells"],
  ["/discrepancies", "Discrepancies"],
  ["/pnl", "PnL by symbol"],
  ["/compare", "Compare PnL"],
  ["/allocations", "Allocations"],
  ["/trades", "Trades"],
  ["/review", "Review queue"],
  ["/runs", "Runs"],
] as const;

/** Starts a download, takes its first bytes, then stops reading (the socket stays open). */
function pausedDownload(url: string, cookie: string): Promise<{ bytes: number; close(): void }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { cookie } }, (response) => {
      if (response.statusCode !== 200) return reject(new Error(`${url} answered ${response.statusCode}`));
      response.once("data", (chunk: Buffer) => {
        response.pause();
        resolve({ bytes: chunk.length, close: () => request.destroy() });
      });
    });
    request.on("error", reject);
  });
}

test("three paused CSV downloads: every page still answers", async ({ page, baseURL, browser }) => {
  test.setTimeout(180_000); // nine pages over 30,000 trades, on the embedded engine too
  await signIn(page, "viewer");
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  const downloads = await Promise.all([
    pausedDownload(`${baseURL}/export/trades?sort=id.asc`, cookie),
    pausedDownload(`${baseURL}/export/trades?sort=order_time.desc`, cookie),
    pausedDownload(`${baseURL}/export/allocations?sort=pnl_usd.desc`, cookie),
  ]);
  try {
    for (const [path, title] of PAGES) {
      const started = Date.now();
      const response = await page.goto(path, { timeout: 30_000 });
      console.log(`${path}: ${Date.now() - started} ms`);
      expect(response?.status(), path).toBe(200);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
    }
    // Someone else signs in meanwhile.
    const other = await browser.newPage();
    await signIn(other, "reviewer");
    await other.close();
  } finally {
    for (const download of downloads) download.close();
  }
});
