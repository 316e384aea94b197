// Parallel operation and cutover from the browser (seed steps 4 and 5): an admin computes a new
// version, turns on following, looks at its drift, walks the cutover checklist (validate, backup),
// finds "make current" held back by the open items, overrides with a reason, and the version
// becomes current with the override in the history. A viewer sees the checklist but no controls.
import { expect, test, type Page } from "./fixtures/test";
import { signIn } from "./fixtures/auth";

async function computeNewVersion(page: Page): Promise<number> {
  await page.goto("/runs");
  const select = page.getByLabel("Version", { exact: true });
  const label = (await select.locator('option[value="new"]').textContent()) ?? "";
  await select.selectOption("new");
  const version = Number(/\((\d+)\)/.exec(label)![1]);
  await page.getByLabel("Mode").selectOption("full");
  await page.getByRole("radio", { name: /All symbols/ }).check();
  await page.getByTestId("start-run").click();
  await page.waitForURL(/\/runs\/\d+$/);
  await expect(page.getByTestId("run-outcome")).toContainText("Succeeded", { timeout: 45_000 });
  return version;
}

const item = (page: Page, key: string) => page.getByTestId(`check-${key}`);

test("an admin walks the cutover checklist and makes a version current", async ({ page }) => {
  await signIn(page, "admin", "/runs");
  const version = await computeNewVersion(page);

  // Parallel operation: the new version follows the bot.
  await page.goto("/versions");
  const row = page.locator(`[data-testid="version-row"][data-version="${version}"]`);
  await row.getByTestId(`follow-toggle-${version}`).click();
  await expect(page.getByTestId(`follow-state-${version}`)).toContainText("every 60 s");

  // Its drift over the validation period: per day, old vs new, by cause.
  await row.getByRole("link", { name: "drift" }).click();
  await expect(page.getByRole("heading", { name: "Drift: old vs new, per day" })).toBeVisible();
  await expect(page.getByTestId("chart-drift-days")).toBeVisible();
  await expect(page.getByTestId("drift-days")).toHaveText(/^\d+ \/ \d+$/);

  // The checklist: nothing done yet, so "make current" is held back.
  await page.goto(`/versions?cutover=${version}`);
  const checklist = page.getByTestId("cutover-checklist");
  await expect(checklist).toHaveAttribute("data-version", String(version));
  await expect(item(page, "validated")).toHaveAttribute("data-passed", "false");
  await expect(item(page, "backup_acknowledged")).toHaveAttribute("data-passed", "false");
  const makeCurrent = page.getByTestId(`make-current-${version}`);
  await expect(makeCurrent).toBeDisabled();

  // Validate, and acknowledge the backup.
  await page.getByTestId("run-validation").click();
  await expect(page.getByTestId("validation-ok")).toContainText(`Version ${version}: all invariants hold.`);
  await expect(item(page, "validated")).toHaveAttribute("data-passed", "true");
  await page.getByTestId("backup-acknowledged").check();
  await expect(item(page, "backup_acknowledged")).toHaveAttribute("data-passed", "true");

  // The demo history has open critical items and unexplained drift: only an override gets through.
  await expect(item(page, "no_open_critical")).toHaveAttribute("data-passed", "false");
  await expect(makeCurrent).toBeDisabled();
  await page.getByTestId("override-toggle").check();
  const reason = "Demo data: the critical oversells are known test fills.";
  await page.getByLabel("Reason for the override").fill(reason);
  await makeCurrent.click();
  await expect(page.getByTestId("make-current-ok")).toContainText(`Version ${version} is now the current version (checklist overridden`);

  await expect(row.locator(".badge-ok", { hasText: "Current" })).toBeVisible();
  await expect(page.getByTestId("cutover-history")).toContainText(`Version ${version} made current (was 1) by admin`);
  await expect(page.getByTestId("cutover-history")).toContainText(reason);

  // A cutover is undone the same way: back to version 1 (the specs after this one expect it).
  await page.goto("/versions?cutover=1");
  await expect(page.getByTestId("cutover-checklist")).toHaveAttribute("data-version", "1");
  await page.getByTestId("backup-acknowledged").check();
  await page.getByTestId("override-toggle").check();
  await page.getByLabel("Reason for the override").fill("Back to version 1 after the walk-through.");
  await page.getByTestId("make-current-1").click();
  await expect(page.getByTestId("make-current-ok")).toContainText("Version 1 is now the current version");
  await expect(page.getByTestId("cutover-history")).toContainText(`Version 1 made current (was ${version}) by admin`);
});

test("a viewer sees the checklist and the drift, but cannot act", async ({ page }) => {
  await signIn(page, "viewer", "/versions");
  await expect(page.getByTestId("cutover-checklist")).toBeVisible();
  await expect(page.getByTestId("run-validation")).toHaveCount(0);
  await expect(page.locator('[data-testid^="make-current-"]')).toHaveCount(0);
  await expect(page.locator('[data-testid^="follow-toggle-"]')).toHaveCount(0);
  await page.goto("/drift");
  await expect(page.getByRole("heading", { name: "Drift: old vs new, per day" })).toBeVisible();
  await expect(page.getByTestId("validation-period-form")).toHaveCount(0);
  // The differing sells as CSV, with their causes.
  const href = (await page.getByTestId("drift-export").getAttribute("href"))!;
  const csv = await page.request.get(href);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const lines = (await csv.text()).trim().split("\r\n");
  expect(lines[0]).toBe("day,symbol,sell_trade_id,sell_time,old_parent_id,old_pnl_usd,new_pnl_usd,difference_usd,new_lots,unmatched_size,cause");
  expect(lines.length).toBeGreaterThan(1);
});
