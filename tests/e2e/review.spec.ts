// The review workflow in the browser: a reviewer filters the queue to a critical unmatched sell,
// opens it, records the missing buy and resolves it; an admin recomputes the version; the sell is
// then fully matched and the item still resolved. Two browser contexts changing the same item: the
// second one gets the conflict message.
//
// SEED REQUIREMENT: the e2e database must hold at least one pending critical unmatched sell and
// one pending pnl_discrepancy in version 1 (scripts/e2e-server.ts seeds and computes version 1).
import { expect, test, type Browser, type Page } from "./fixtures/test";
import { signIn } from "./fixtures/auth";

async function openFirstItem(page: Page, filters: Record<string, string>): Promise<string> {
  await page.goto(`/review?${new URLSearchParams({ version: "1", ...filters })}`);
  const link = page.getByTestId("review-queue-table").getByTestId("item-link").first();
  await expect(link, `no review item matches ${JSON.stringify(filters)}: see SEED REQUIREMENT`).toBeVisible();
  await link.click();
  await page.waitForURL(/\/review\/\d+$/);
  return new URL(page.url()).pathname;
}

const itemStatus = (page: Page) => page.getByTestId("review-item-page").getByTestId("status-badge").first();

/**
 * RECOMPUTE STEP: an admin, in a browser context of their own, starts a full recompute of version 1
 * from /runs and waits until it has succeeded (selectors of the runs page, issue 5).
 */
async function recomputeVersion1AsAdmin(browser: Browser): Promise<void> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, "admin", "/runs");
  const resume = page.getByTestId("resume-queue");
  if (await resume.isVisible()) await resume.click();
  await page.getByLabel("Version", { exact: true }).selectOption("1");
  await page.getByLabel("Mode").selectOption("full");
  await page.getByRole("radio", { name: /All symbols/ }).check();
  await page.getByTestId("start-run").click();
  await page.waitForURL(/\/runs\/\d+$/);
  await expect(page.getByTestId("run-outcome")).toContainText("Succeeded", { timeout: 90_000 });
  await context.close();
}

test("a reviewer closes the loop on a critical unmatched sell; the recompute uses the manual buy", async ({ page, browser }) => {
  await signIn(page, "reviewer", "/review");

  // Filter on the server: pending critical unmatched sells of version 1 (each select applies at once).
  const table = page.getByTestId("review-queue-table");
  await table.getByLabel("Version").selectOption("1");
  await expect(page).toHaveURL(/version=1/);
  await table.getByLabel("Status").selectOption("pending");
  await expect(page).toHaveURL(/status=pending/);
  await table.getByLabel("Severity").selectOption("critical");
  await expect(page).toHaveURL(/severity=critical/);
  await table.getByLabel("Type").selectOption("unmatched_sell");
  await expect(page).toHaveURL(/type=unmatched_sell/);
  const rows = table.getByTestId("item-link");
  await expect(rows.first(), "no pending critical unmatched sell: see SEED REQUIREMENT").toBeVisible();
  for (const row of await rows.all()) {
    await expect(row).toHaveAttribute("data-severity", "critical");
    await expect(row).toHaveAttribute("data-status", "pending");
  }
  const candidates = await Promise.all((await rows.all()).map(async (row) => (await row.getAttribute("href"))!));
  await page.goto(candidates[0]!);
  await page.waitForURL(/\/review\/\d+$/);
  await expect(page.getByTestId("unmatched-part")).toBeVisible();
  await expect(itemStatus(page)).toHaveText("pending");

  // A time after the sell is refused beside the field, and what was typed stays.
  const form = page.getByTestId("cost-basis-form");
  await form.getByLabel("Price (USD per unit)").fill("41000.5");
  await form.getByLabel("Time (UTC)").fill("2099-01-01T00:00:01");
  await form.getByLabel("Note: where the buy comes from").fill("Bought on another exchange; statement attached to ticket 42");
  await page.getByTestId("record-cost-basis").click();
  await expect(page.getByTestId("field-error-orderTime")).toContainText("Must be before the sell");
  await expect(form.getByLabel("Price (USD per unit)")).toHaveValue("41000.5");
  await expect(form.getByLabel("Note: where the buy comes from")).toHaveValue(/ticket 42/);

  // The default time (one second before the sell) is accepted: buy recorded, item resolved. When an
  // earlier unmatched sell of the same burst would take that buy first (FIFO), the form says so and
  // the reviewer moves on to another item.
  let itemPath: string | null = null;
  for (const candidate of candidates) {
    await page.goto(candidate);
    const defaultTime = await form.getByLabel("Time (UTC)").inputValue();
    await form.getByLabel("Price (USD per unit)").fill("41000.5");
    await form.getByLabel("Time (UTC)").fill(defaultTime);
    await form.getByLabel("Note: where the buy comes from").fill("Bought on another exchange; statement attached to ticket 42");
    await page.getByTestId("record-cost-basis").click();
    const fifoConflict = page.getByTestId("field-error-orderTime").filter({ hasText: "would use the buy first" });
    await expect(itemStatus(page).filter({ hasText: "resolved" }).or(fifoConflict)).toBeVisible();
    if (await fifoConflict.isVisible()) continue;
    itemPath = new URL(page.url()).pathname;
    break;
  }
  expect(itemPath, "every critical unmatched sell had an earlier unmatched sell in its burst").not.toBeNull();
  await expect(itemStatus(page)).toHaveText("resolved");
  await expect(page.getByTestId("item-resolution")).toHaveText("Missing cost basis recorded (manual buy)");
  await expect(page.getByTestId("manual-trade")).toContainText("41000.5");
  await expect(page.getByTestId("item-history")).toContainText("reviewer@example.com");

  await recomputeVersion1AsAdmin(browser);

  // After the recompute: the sell is fully matched, one of its lots is the manual buy, and the
  // item stayed resolved (the run did not reopen or auto-close it).
  await page.goto(itemPath!);
  await expect(page.getByTestId("fully-matched")).toBeVisible();
  await expect(page.getByTestId("lots-table")).toContainText("manual");
  await expect(itemStatus(page)).toHaveText("resolved");
  await expect(page.getByTestId("item-resolution")).toHaveText("Missing cost basis recorded (manual buy)");

  // Reopening asks what becomes of the manual buy (never a silent duplicate later): without an
  // answer the form says so beside the choice; voiding it reopens the item and is recorded.
  const reopen = page.getByTestId("reopen-form");
  await reopen.getByLabel("Why reopen it").fill("The statement was for another account");
  await page.getByTestId("reopen").click();
  await expect(page.getByTestId("field-error-manualBuy")).toHaveText("Keep or void the manual buy");
  await expect(itemStatus(page)).toHaveText("resolved");
  await reopen.getByLabel(/Void it/).check();
  await page.getByTestId("reopen").click();
  await expect(itemStatus(page)).toHaveText("pending");
  await expect(page.getByTestId("item-history")).toContainText(/Manual buy #\d+ voided/);
});

test("two reviewers change the same item at once: the second sees who changed it and is asked to reload", async ({ browser }) => {
  const first = await (await browser.newContext()).newPage();
  const second = await (await browser.newContext()).newPage();
  await signIn(first, "reviewer");
  await signIn(second, "admin");
  const itemPath = await openFirstItem(first, { status: "pending", type: "pnl_discrepancy" });
  await second.goto(itemPath);
  await expect(itemStatus(second)).toHaveText("pending");

  // The first reviewer claims it...
  await first.getByTestId("claim").click();
  await expect(itemStatus(first)).toHaveText("in review");

  // ...the second, still looking at the old page, accepts it as explained: refused, nothing lost.
  const resolve = second.getByTestId("resolve-form");
  await resolve.getByLabel("Resolution").selectOption("explained");
  await resolve.getByLabel("Notes: why (for the auditor)").fill("Old code matched the wrong lot");
  await second.getByTestId("resolve").click();
  await expect(second.getByTestId("resolve-error")).toHaveText(
    /^Changed by reviewer@example\.com at \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC; reload to see the change\.$/,
  );
  await expect(resolve.getByLabel("Notes: why (for the auditor)")).toHaveValue("Old code matched the wrong lot");

  // After reloading, the second reviewer sees the claim and can act on the current version.
  await second.reload();
  await expect(itemStatus(second)).toHaveText("in review");
  await expect(second.getByTestId("item-assignee")).toHaveText("reviewer@example.com");
  const again = second.getByTestId("resolve-form");
  await again.getByLabel("Resolution").selectOption("explained");
  await again.getByLabel("Notes: why (for the auditor)").fill("Old code matched the wrong lot");
  await second.getByTestId("resolve").click();
  await expect(itemStatus(second)).toHaveText("resolved");
  await expect(second.getByTestId("item-history")).toContainText("admin@example.com");
});
