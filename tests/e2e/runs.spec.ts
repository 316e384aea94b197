// Runs from the browser: an admin starts a run, follows it live to the end and finds its numbers on
// the overview; a second start of a busy version is refused; a viewer cannot start runs.
// Determinism without sleeps: the admin pauses the queue first, so a started run stays queued
// (its version busy) for exactly as long as the test needs, then resumes it from a second tab.
import { expect, test, type Page } from "./fixtures/test";
import { signIn } from "./fixtures/auth";

async function setQueue(page: Page, state: "paused" | "running"): Promise<void> {
  await page.goto("/runs");
  const button = page.getByTestId(state === "paused" ? "pause-queue" : "resume-queue");
  if (await button.isVisible()) await button.click();
  if (state === "paused") await expect(page.getByTestId("queue-paused")).toBeVisible();
  else await expect(page.getByTestId("queue-paused")).toBeHidden();
}

/** Picks "New version (N)" in the start form and returns N. */
async function chooseNewVersion(page: Page): Promise<number> {
  const select = page.getByLabel("Version", { exact: true });
  const label = (await select.locator('option[value="new"]').textContent()) ?? "";
  await select.selectOption("new");
  return Number(/\((\d+)\)/.exec(label)![1]);
}

async function startRunFromForm(page: Page): Promise<number> {
  await page.getByTestId("start-run").click();
  await page.waitForURL(/\/runs\/\d+$/);
  return Number(new URL(page.url()).pathname.split("/").pop());
}

test.afterEach(async ({ browser }) => {
  // Never leave the queue paused for the next test, whatever happened.
  const page = await browser.newPage();
  await signIn(page, "admin", "/runs");
  await setQueue(page, "running");
  await page.close();
});

test("an admin starts a run, watches it to the end, and sees its numbers on the overview", async ({ page, context }) => {
  await signIn(page, "admin", "/runs");
  await setQueue(page, "paused");
  await page.goto("/runs");
  const version = await chooseNewVersion(page);
  await page.getByLabel("Mode").selectOption("full");
  await page.getByRole("radio", { name: /All symbols/ }).check();
  const runId = await startRunFromForm(page);

  // Queued: the page says so and polls.
  await expect(page.getByRole("heading", { name: `Run #${runId}` })).toBeVisible();
  await expect(page.getByTestId("run-progress-status")).toHaveText("Queued");

  // Resume the queue from another tab; this page follows the run live, without a reload.
  const other = await context.newPage();
  await setQueue(other, "running");
  await other.close();

  await expect(page.getByTestId("run-outcome")).toContainText("Succeeded", { timeout: 45_000 });
  await expect(page.getByTestId("run-status")).toHaveText("Succeeded");
  const tradesRead = (await page.getByTestId("run-trades-read").textContent())!;
  const allocations = (await page.getByTestId("run-allocations").textContent())!;
  expect(Number(tradesRead.replace(/,/g, ""))).toBeGreaterThan(0);
  expect(Number(allocations.replace(/,/g, ""))).toBeGreaterThan(0);

  // The history lists it with its figures.
  await page.goto("/runs");
  const row = page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`);
  await expect(row.getByTestId("run-status")).toHaveText("Succeeded");
  await expect(row).toContainText(allocations);

  // The overview shows the new version with those allocations.
  await page.goto("/");
  const card = page.getByTestId("version-card").filter({ has: page.getByRole("heading", { name: `Version ${version}`, exact: true }) });
  await expect(card).toBeVisible();
  await expect(card).toContainText(allocations);
});

test("a second start of a version with an active run is refused with a clear message; the first can be cancelled", async ({ page }) => {
  page.on("dialog", (dialog) => void dialog.accept());
  await signIn(page, "admin", "/runs");
  await setQueue(page, "paused");
  await page.goto("/runs");
  const version = await chooseNewVersion(page);
  const runId = await startRunFromForm(page);
  await expect(page.getByTestId("run-progress-status")).toHaveText("Queued");

  await page.goto("/runs");
  await expect(page.getByTestId("active-run-banner")).toContainText(`Run #${runId} is queued`);
  await page.getByLabel("Version", { exact: true }).selectOption(String(version));
  await page.getByTestId("start-run").click();
  await expect(page.getByTestId("start-run-error")).toHaveText(
    new RegExp(`^Version ${version} is already being computed: run #${runId} \\(queued\\), started by admin@example\\.com at .+\\. Wait for it to finish or cancel it\\.$`),
  );
  await expect(page).toHaveURL(/\/runs$/);

  // Cancel the queued run: it ends at once, nothing computed.
  await page.goto(`/runs/${runId}`);
  await page.getByTestId("cancel-run").click();
  await expect(page.getByTestId("run-status")).toHaveText("Cancelled");
  await expect(page.getByTestId("run-outcome")).toContainText("previous allocations");
});

test("a viewer sees the history but no start form, queue control or cancel button", async ({ page }) => {
  await signIn(page, "viewer", "/runs");
  await expect(page.getByRole("heading", { name: "Runs", exact: true })).toBeVisible();
  await expect(page.getByTestId("runs-table")).toBeVisible();
  await expect(page.getByTestId("start-run-form")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Start run" })).toHaveCount(0);
  await expect(page.getByTestId("pause-queue")).toHaveCount(0);
  const firstRun = page.getByTestId("run-row").first().getByRole("link").first();
  await firstRun.click();
  await expect(page.getByRole("heading", { name: /^Run #\d+/ })).toBeVisible();
  await expect(page.getByTestId("cancel-run")).toHaveCount(0);
  // Versions: visible, with compare links, but nothing to manage.
  await page.goto("/versions");
  await expect(page.getByTestId("versions-table")).toBeVisible();
  await expect(page.getByRole("link", { name: "vs old" }).first()).toHaveAttribute("href", /^\/compare\?version=\d+&against=old$/);
  await expect(page.getByRole("button", { name: "Make current" })).toHaveCount(0);
  await expect(page.getByText("Delete…")).toHaveCount(0);
});

test("an admin makes another version current; the current one cannot be deleted", async ({ page }) => {
  await signIn(page, "admin", "/versions");
  const rows = page.getByTestId("version-row");
  await expect(rows.first()).toBeVisible();
  const notCurrent = rows.filter({ hasNot: page.getByText("Current", { exact: true }) }).first();
  const version = Number(await notCurrent.getAttribute("data-version"));
  // Making it current goes through the cutover checklist; the demo data's open items need an override.
  await notCurrent.getByRole("link", { name: "Cutover checklist" }).click();
  await expect(page.getByTestId("cutover-checklist")).toHaveAttribute("data-version", String(version));
  await page.getByTestId("backup-acknowledged").check();
  if (await page.getByTestId("override-toggle").isVisible()) {
    await page.getByTestId("override-toggle").check();
    await page.getByLabel("Reason for the override").fill("Switching versions to test the delete guard.");
  }
  await page.getByTestId(`make-current-${version}`).click();
  await expect(page.getByTestId("make-current-ok")).toBeVisible();
  const row = page.locator(`[data-testid="version-row"][data-version="${version}"]`);
  await expect(row.getByText("Current", { exact: true })).toBeVisible();
  await expect(row.getByText("Delete…")).toHaveCount(0);
});
