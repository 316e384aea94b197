// Lot-selection methods from the browser: an admin computes a HIFO version from the runs page,
// sees its method on the versions page, compares it with FIFO on the what-if page (totals that
// match each version's PnL page exactly), is refused another method for that version, and opens
// its tax lots.
import Big from "big.js";
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./fixtures/auth";

async function exactValue(page: Page, testId: string): Promise<Big> {
  const value = await page.getByTestId(testId).locator("[data-value]").first().getAttribute("data-value");
  return new Big(value!);
}

test("an admin computes a HIFO version from the runs page and compares it with FIFO", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "admin", "/runs");
  await expect(page.getByTestId("queue-paused")).toBeHidden();
  const versionSelect = page.getByLabel("Version", { exact: true });
  const label = (await versionSelect.locator('option[value="new"]').textContent()) ?? "";
  const version = Number(/\((\d+)\)/.exec(label)![1]);
  await versionSelect.selectOption("new");
  await page.getByLabel("Lot selection").selectOption("hifo");
  await page.getByLabel("Mode").selectOption("full");
  await page.getByRole("radio", { name: /All symbols/ }).check();
  await page.getByTestId("start-run").click();
  await page.waitForURL(/\/runs\/\d+$/);
  await expect(page.getByTestId("run-outcome")).toContainText("Succeeded", { timeout: 60_000 });
  await expect(page.getByTestId("run-method")).toContainText("HIFO");

  // The overview shows each version's method.
  await page.goto("/");
  const card = page.getByTestId("version-card").filter({ has: page.getByRole("heading", { name: `Version ${version}`, exact: true }) });
  await expect(card.getByTestId("version-method")).toHaveText("HIFO");

  // The versions page shows each version's method.
  await page.goto("/versions");
  await expect(page.locator(`[data-testid="version-row"][data-version="${version}"]`).getByTestId("version-method")).toHaveText("HIFO");
  await expect(page.locator('[data-testid="version-row"][data-version="1"]').getByTestId("version-method")).toHaveText("FIFO");

  // What if: FIFO (version 1) against HIFO (the new version), by tax year and term, and by symbol.
  await page.goto(`/what-if?fifo=1&hifo=${version}`);
  await expect(page.getByRole("heading", { name: "What if: FIFO, LIFO or HIFO?" })).toBeVisible();
  await expect(page.getByTestId("chart-what-if-years")).toBeVisible();
  const years = page.getByTestId("what-if-years");
  await expect(years.locator("thead")).toContainText("HIFO − FIFO (USD)");
  expect(await years.locator("tbody tr").count()).toBeGreaterThan(0);
  await expect(page.getByTestId("what-if-symbols").locator("tbody tr").first()).toBeVisible();
  const fifoTotal = await exactValue(page, "what-if-total-fifo");
  const hifoTotal = await exactValue(page, "what-if-total-hifo");
  expect(hifoTotal.eq(fifoTotal)).toBe(false); // the demo history has lots at different prices

  // Each total is exactly that version's realized PnL on its own PnL page.
  await page.goto(`/pnl?version=${version}`);
  expect((await exactValue(page, "total-new-pnl")).eq(hifoTotal)).toBe(true);
  await page.goto("/pnl?version=1");
  expect((await exactValue(page, "total-new-pnl")).eq(fifoTotal)).toBe(true);

  // The comparison's CSV: one row per symbol, year and term with both methods' gains.
  const csv = await page.request.get(`/what-if/export?fifo=1&hifo=${version}`);
  expect(csv.ok()).toBe(true);
  expect((await csv.text()).split("\r\n")[0]).toBe(`symbol,year,term,fifo_gain_usd (v1),hifo_gain_usd (v${version})`);

  // Asking the HIFO version for LIFO is refused beside the field, and nothing is queued.
  await page.goto("/runs");
  await page.getByLabel("Version", { exact: true }).selectOption(String(version));
  await page.getByLabel("Lot selection").selectOption("lifo");
  await page.getByTestId("start-run").click();
  await expect(page.getByTestId("run-method-error")).toContainText(`Version ${version} is computed with HIFO`);
  await expect(page).toHaveURL(/\/runs$/);

  // Its tax lots: the year's total is the realized PnL sold that year.
  await page.goto(`/tax-lots?version=${version}`);
  await expect(page.getByRole("heading", { name: "Tax lots" })).toBeVisible();
  await expect(page.getByTestId("tax-totals").locator("tbody tr").first()).toBeVisible();
  const report = await page.request.get((await page.getByTestId("tax-lots-export").getAttribute("href"))!);
  expect(report.ok()).toBe(true);
  expect((await report.text()).startsWith("row,symbol,term,size,acquired_at,sold_at,proceeds_usd,cost_basis_usd,gain_usd")).toBe(true);
});
