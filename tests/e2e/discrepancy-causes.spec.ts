// Differences explained by cause, in the browser: a reviewer opens the cause summary on the
// Discrepancies page, follows an example to the sell's page (which names its cause), accepts the
// cause, and sees the review queue shrink by the items it settled; undoing it reopens them. Pages
// seen again come from the rendered-page cache until the decision changes the data.
//
// SEED REQUIREMENT: version 1 of the e2e database (scripts/e2e-server.ts) has open
// pnl_discrepancy items of cause stale_lot (the demo history's most common cause).
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./fixtures/auth";

const CAUSE = "stale_lot";

async function openItems(page: Page): Promise<number> {
  await page.goto("/review?version=1&status=open");
  const pending = Number(await page.getByTestId("count-status-pending").locator(".stat-value").textContent());
  const inReview = Number(await page.getByTestId("count-status-in_review").locator(".stat-value").textContent());
  return pending + inReview;
}

test("a reviewer accepts a cause from the summary and the queue shrinks", async ({ page }) => {
  await signIn(page, "reviewer", "/review?version=1");
  const before = await openItems(page);

  // While nothing changes, a page seen again comes from the rendered-page cache (scripts/page-server.ts).
  await expect
    .poll(async () => (await page.goto("/discrepancies?version=1"))?.headers()["x-fifo-page-cache"])
    .toBe("hit");
  const summary = page.getByTestId("cause-summary");
  await expect(summary).toBeVisible();
  await expect(summary.getByTestId("chart-causes")).toBeVisible();
  const row = summary.getByTestId(`cause-row-${CAUSE}`);
  await expect(row, "no stale_lot differences: see SEED REQUIREMENT").toBeVisible();
  const settles = Number(await row.getByTestId(`cause-open-${CAUSE}`).textContent());
  expect(settles, "no open stale_lot items: see SEED REQUIREMENT").toBeGreaterThan(0);

  // An example sell names its cause on its own page.
  const example = row.getByTestId("trade-link").first();
  const exampleHref = await example.getAttribute("href");
  await example.click();
  await page.waitForURL((url) => url.pathname.startsWith("/trades/"));
  await expect(page.getByTestId("difference-cause")).toContainText("stale lot");

  // The cause filter lists only that cause's sells.
  await page.goto("/discrepancies?version=1");
  await page.getByTestId(`cause-filter-${CAUSE}`).click();
  await expect(page).toHaveURL(/cause=stale_lot/);
  const body = page.getByTestId("discrepancies-table").locator("tbody");
  await expect(body.locator("tr").first()).toContainText("stale lot");
  await expect(body).not.toContainText("fees only");

  // A reason is required, and its error shows beside the field.
  await page.goto("/discrepancies?version=1");
  const form = page.getByTestId(`accept-form-${CAUSE}`);
  await form.getByTestId(`accept-reason-${CAUSE}`).fill("x");
  await form.getByTestId(`accept-${CAUSE}`).click();
  await expect(form.getByTestId("field-error-reason")).toBeVisible();

  await form.getByTestId(`accept-reason-${CAUSE}`).fill("the old code matched drifted lots; FIFO is right");
  await form.getByTestId(`accept-${CAUSE}`).click();
  // The page re-renders with the decision in place of the form.
  await expect(page.getByTestId(`cause-accepted-${CAUSE}`)).toContainText("reviewer@example.com");
  await expect(page.getByTestId(`cause-open-${CAUSE}`)).toHaveText("0");
  await expect(page.getByTestId("cause-decisions")).toContainText(`${settles} items settled`);

  // The decision committed: the page is rendered afresh, never the cached one from before.
  const afterDecision = await page.goto("/discrepancies?version=1");
  expect(afterDecision?.headers()["x-fifo-page-cache"]).toBe("miss");
  await expect(page.getByTestId(`cause-accepted-${CAUSE}`)).toBeVisible();
  expect(await openItems(page)).toBe(before - settles);
  expect(exampleHref).toContain("version=1");

  // A settled item names the decision in its page and history.
  await page.goto(`/review?version=1&status=resolved&type=pnl_discrepancy&cause=${CAUSE}`);
  await page.getByTestId("review-queue-table").getByTestId("item-link").first().click();
  await page.waitForURL(/\/review\/\d+$/);
  await expect(page.getByTestId("settled-by-decision")).toContainText("reviewer@example.com accepted the cause");

  // Undo: the decision stays in the history, marked undone, and the settled items are open again.
  await page.goto("/discrepancies?version=1");
  const undo = page.getByTestId(`undo-form-${CAUSE}`);
  await undo.getByTestId(`undo-reason-${CAUSE}`).fill("accepted too early");
  await undo.getByTestId(`undo-${CAUSE}`).click();
  await expect(page.getByTestId(`accept-form-${CAUSE}`)).toBeVisible();
  await expect(page.getByTestId(`cause-open-${CAUSE}`)).toHaveText(String(settles));
  await expect(page.getByTestId("cause-decisions")).toContainText("undone by reviewer@example.com");
  expect(await openItems(page)).toBe(before);
});
