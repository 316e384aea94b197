// Garbage in every URL parameter of every page and route, over real HTTP against the built app:
// each answers below 500 (a cleaned-up page, a 404 or a 400), and the app keeps working.
import { expect, test } from "@playwright/test";
import fc from "fast-check";
import { garbage, garbageFields, toQuery } from "../fuzz/garbage";
import { signIn } from "./fixtures/auth";

const PAGES: [string, string[]][] = [
  ["/", []],
  ["/allocations", ["version", "symbol", "from", "to", "trade", "sort", "page", "size"]],
  ["/trades", ["version", "symbol", "from", "to", "side", "source", "sort", "page", "size"]],
  ["/unmatched", ["version", "symbol", "from", "to", "severity", "status", "sort", "page", "size"]],
  ["/pnl", ["version", "symbol", "sort", "page", "size"]],
  ["/discrepancies", ["version", "symbol", "from", "to", "type", "sort", "page", "size"]],
  ["/compare", ["version", "against", "symbol", "bucket"]],
  ["/review", ["status", "severity", "type", "symbol", "assignee", "version", "cause", "month", "dust", "trade", "sort", "page", "size"]],
  ["/review/groups", ["status", "type", "symbol", "version", "cause", "month", "dust"]],
  ["/review/export", ["status", "severity", "type", "symbol", "version", "trade", "sort"]],
  ["/export/trades", ["version", "symbol", "from", "to", "side", "sort"]],
  ["/export/unmatched", ["version", "symbol", "from", "to", "severity", "sort"]],
  ["/runs", ["page", "status", "version"]],
  ["/versions", ["cutover"]],
  ["/drift", ["version", "from", "to"]],
  ["/drift/export", ["version", "from", "to"]],
  ["/tax-lots", ["version", "year", "month"]],
  ["/tax-lots/export", ["version", "year", "month"]],
  ["/tax-lots/inventory-export", ["version", "year", "month"]],
  ["/what-if", ["fifo", "lifo", "hifo", "symbol"]],
  ["/what-if/export", ["fifo", "lifo", "hifo", "symbol"]],
  ["/users", []],
  ["/api/health", []],
  ["/api/metrics", []],
  ["/sign-in", ["next"]],
  ["/forbidden", ["need"]],
];

test("every page and route answers garbage parameters below 500", async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page, "admin");
  const seen: string[] = [];
  for (const [path, keys] of PAGES) {
    const samples = fc.sample(garbageFields(keys), { numRuns: 6, seed: 10 });
    for (const params of samples) {
      const url = `${path}?${toQuery(params)}`.slice(0, 6000);
      const response = await page.request.get(url, { maxRedirects: 0 });
      seen.push(`${response.status()} ${path}`);
      expect(response.status(), url).toBeLessThan(500);
    }
  }
  for (const template of ["/trades/", "/review/", "/runs/", "/runs/%s/progress", "/export/"]) {
    for (const id of fc.sample(garbage, { numRuns: 6, seed: 11 })) {
      const segment = encodeURIComponent(id).slice(0, 2000) || "x";
      const url = template.includes("%s") ? template.replace("%s", segment) : `${template}${segment}`;
      const response = await page.request.get(url, { maxRedirects: 0 });
      expect(response.status(), url).toBeLessThan(500);
    }
  }
  // still signed in and working
  await page.goto("/review?version=1e10&page=99999999&trade=9007199254740993");
  await expect(page.getByTestId("current-role")).toHaveText("admin");
  expect(seen.length).toBeGreaterThan(140);
});
