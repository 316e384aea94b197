// The dashboard in a real browser, as a viewer: every page renders; a table sorts and filters
// through the URL (and Back restores it); its CSV export holds the filtered rows; a trade opens from
// a table; the comparison charts draw their series. Data: the e2e server's demo trades with
// allocation version 1 computed.
import fs from "node:fs";
import { expect, test, type Page } from "./fixtures/test";
import { parseCsv } from "@/lib/table/csv";
import { signIn } from "./fixtures/auth";

const PAGES = [
  ["/", "Overview"],
  ["/unmatched", "Unmatched sells"],
  ["/discrepancies", "Discrepancies"],
  ["/pnl", "PnL by symbol"],
  ["/compare", "Compare PnL"],
  ["/allocations", "Allocations"],
  ["/trades", "Trades"],
] as const;

/** The exact values (data-value) of one column of a DataTable, top to bottom. */
async function columnValues(page: Page, table: string, column: string): Promise<string[]> {
  return page.getByTestId(table).locator(`tbody td[data-column="${column}"] [data-value]`).evaluateAll((cells) =>
    cells.map((c) => c.getAttribute("data-value") ?? ""),
  );
}

/** Waits until the table is hydrated (its controls respond). */
async function tableReady(page: Page, table: string): Promise<void> {
  await expect(page.getByTestId(table)).toHaveAttribute("data-ready", "true");
}

async function columnTexts(page: Page, table: string, column: string): Promise<string[]> {
  return page.getByTestId(table).locator(`tbody td[data-column="${column}"]`).allInnerTexts();
}

test.beforeEach(async ({ page }) => {
  await signIn(page, "viewer");
});

test("a viewer can open every dashboard page", async ({ page }) => {
  for (const [path, title] of PAGES) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
    await expect(page.locator("text=Application error")).toHaveCount(0);
  }
  await page.goto("/");
  await expect(page.getByTestId("version-card").first()).toContainText("Version 1");
  await expect(page.getByTestId("top-symbols")).toBeVisible();
});

test("sorting and filtering live in the URL, and Back restores the previous view", async ({ page }) => {
  await page.goto("/allocations");
  const table = "allocations-table";
  await tableReady(page, table);
  await expect(page.getByTestId(table).locator("tbody tr").first()).toBeVisible();
  const before = await columnValues(page, table, "pnlUsd");
  expect(before.length).toBeGreaterThan(1);

  await page.getByTestId(table).getByRole("button", { name: /PnL \(USD\)/ }).click();
  await expect(page).toHaveURL(/sort=pnl_usd\.desc/);
  await expect(page.getByTestId(table).locator('th[data-column="pnlUsd"]')).toHaveAttribute("aria-sort", "descending");
  const desc = (await columnValues(page, table, "pnlUsd")).map(Number);
  expect(desc).toEqual([...desc].sort((a, b) => b - a));
  expect(desc).not.toEqual(before.map(Number));

  await page.getByTestId(table).getByRole("button", { name: /PnL \(USD\)/ }).click();
  await expect(page).toHaveURL(/sort=pnl_usd\.asc/);
  const asc = (await columnValues(page, table, "pnlUsd")).map(Number);
  expect(asc).toEqual([...asc].sort((a, b) => a - b));

  const symbol = await page.locator("#filter-symbol option").nth(2).getAttribute("value");
  expect(symbol).toBeTruthy();
  await page.locator("#filter-symbol").selectOption(symbol!);
  await expect(page).toHaveURL(new RegExp(`symbol=${symbol}`));
  await expect.poll(async () => new Set(await columnTexts(page, table, "symbol"))).toEqual(new Set([symbol]));
  expect(page.url()).toContain("sort=pnl_usd.asc");

  await page.goBack();
  await expect(page).not.toHaveURL(/symbol=/);
  await expect(page).toHaveURL(/sort=pnl_usd\.asc/);
  await expect.poll(async () => new Set(await columnTexts(page, table, "symbol")).size).toBeGreaterThan(1);

  // paging: page 2 starts where page 1 ended
  await page.goto("/allocations?sort=sell_trade_id.asc&size=25");
  await tableReady(page, table);
  const first = await columnTexts(page, table, "sellTradeId");
  await page.getByTestId("next-page").click();
  await expect(page).toHaveURL(/page=2/);
  await expect(page.getByTestId("row-range")).toContainText("Rows 26–");
  const second = await columnTexts(page, table, "sellTradeId");
  expect(Number(second[0]!.slice(1))).toBeGreaterThanOrEqual(Number(first.at(-1)!.slice(1)));

  // Next and Previous seek by keyset (a cursor in the URL); a plain page number gives the same rows.
  expect(page.url()).toContain("after=");
  const rowKeys = () => page.getByTestId(table).locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-row-key")));
  const secondKeys = await rowKeys();
  await page.getByTestId("next-page").click();
  await expect(page).toHaveURL(/page=3/);
  await expect(page.getByTestId("row-range")).toContainText("Rows 51–");
  await page.getByTestId(table).getByRole("button", { name: "Previous" }).click();
  await expect(page).toHaveURL(/page=2.*before=|before=.*page=2/);
  await expect.poll(rowKeys).toEqual(secondKeys);
  await page.goto("/allocations?sort=sell_trade_id.asc&size=25&page=2");
  await tableReady(page, table);
  expect(await rowKeys()).toEqual(secondKeys);
});

test("CSV export downloads exactly the filtered rows", async ({ page }) => {
  await page.goto("/trades?side=sell&size=200");
  await tableReady(page, "trades-table");
  const symbol = await page.locator("#filter-symbol option").nth(1).getAttribute("value");
  await page.locator("#filter-symbol").selectOption(symbol!);
  await expect(page).toHaveURL(new RegExp(`symbol=${symbol}`));
  const range = await page.getByTestId("row-range").innerText();
  const total = Number(/of ([\d,]+)$/.exec(range)![1]!.replace(/,/g, ""));
  expect(total).toBeGreaterThan(0);

  const link = page.getByTestId("export-csv");
  await expect(link).toHaveAttribute("href", new RegExp(`symbol=${symbol}`));
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^trades_v1_${symbol}\\.csv$`));
  const rows = parseCsv(fs.readFileSync((await download.path())!, "utf8"));
  const header = rows[0]!;
  const body = rows.slice(1);
  expect(header.slice(0, 4)).toEqual(["id", "symbol", "side", "size"]);
  expect(body).toHaveLength(total);
  expect(new Set(body.map((r) => r[header.indexOf("symbol")]))).toEqual(new Set([symbol]));
  expect(new Set(body.map((r) => r[header.indexOf("side")]))).toEqual(new Set(["sell"]));
  // same order as the table (order_time desc by default): the first page's ids lead the file
  const ids = (await columnTexts(page, "trades-table", "id")).map((t) => t.replace("#", ""));
  expect(body.slice(0, ids.length).map((r) => r[0])).toEqual(ids);
});

test("a trade opens from a table and shows its lots and the old values beside the new", async ({ page }) => {
  await page.goto("/allocations?sort=pnl_usd.desc");
  await tableReady(page, "allocations-table");
  const link = page.getByTestId("allocations-table").locator('td[data-column="sellTradeId"] a').first();
  const text = (await link.innerText()).replace("#", "");
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/trades/${text}(\\?|$)`));
  await expect(page.getByTestId("trade-title")).toContainText(`Trade #${text}: sell`);
  await expect(page.getByTestId("lots-table").locator("tbody tr").first()).toBeVisible();
  await expect(page.getByTestId("new-pnl")).toBeVisible();
  await expect(page.getByTestId("old-pnl")).toBeVisible();

  // a lot's buy page lists this sell among its consumers
  await page.getByTestId("lots-table").locator("tbody tr").first().getByTestId("trade-link").click();
  await expect(page.getByTestId("trade-title")).toContainText(": buy");
  await expect(page.getByTestId("consumers-table")).toContainText(`#${text}`);
  await expect(page.getByTestId("remaining")).toBeVisible();
});

test("the comparison charts draw their series", async ({ page }) => {
  await page.goto("/compare");
  const bars = page.getByTestId("chart-symbols");
  await expect(bars.locator("svg.recharts-surface").first()).toBeVisible();
  await expect(bars.locator(".recharts-bar")).toHaveCount(2);
  await expect(bars.locator(".recharts-legend-item")).toHaveText(["Old system", "Version 1"]);
  expect(await bars.locator(".recharts-bar-rectangle").count()).toBeGreaterThan(2);

  const lines = page.getByTestId("chart-cumulative");
  await expect(lines.locator(".recharts-line")).toHaveCount(2);
  await expect(lines.locator(".recharts-legend-item")).toHaveText(["Old system", "Version 1"]);
  await expect(lines.locator(".recharts-line-curve").first()).toHaveAttribute("d", /^M[\d.]+,[\d.]+[CL][\d.]+,[\d.]+/);

  const histogram = page.getByTestId("chart-histogram");
  await expect(histogram.locator(".recharts-bar")).toHaveCount(1);
  expect(await histogram.locator(".recharts-bar-rectangle path, .recharts-bar-rectangle rect").count()).toBeGreaterThan(0);
  await expect(page.getByTestId("largest-differences").locator("tbody tr").first()).toBeVisible();

  // the baseline switches through the URL
  await expect(page.getByTestId("compare-controls")).toHaveAttribute("data-ready", "true");
  await page.getByLabel("Against").selectOption("snapshot");
  await expect(page).toHaveURL(/against=snapshot/);
  await expect(lines.locator(".recharts-legend-item")).toHaveText(["Snapshot 2025-11-20", "Version 1"]);
});

test("the unmatched sells and discrepancies tables filter by severity and type", async ({ page }) => {
  await page.goto("/discrepancies");
  await tableReady(page, "discrepancies-table");
  await page.locator("#filter-type").selectOption("pnl_difference");
  await expect(page).toHaveURL(/type=pnl_difference/);
  await expect
    .poll(async () => new Set(await columnTexts(page, "discrepancies-table", "discrepancyType")))
    .toEqual(new Set(["pnl difference"]));

  await page.goto("/unmatched");
  await tableReady(page, "unmatched-table");
  await page.locator("#filter-severity").selectOption("low");
  await expect(page).toHaveURL(/severity=low/);
  await expect
    .poll(async () => (await columnTexts(page, "unmatched-table", "severity")).every((s) => s === "low"))
    .toBe(true);
});

