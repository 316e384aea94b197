// The users page in a real browser: an admin creates a user (password generated and shown once),
// changes their role, and the new user signs in with that role; the last admin cannot demote
// themselves; non-admins are kept out. Also: security headers, the favicon and /api/health on
// real responses (the shared fixture fails any test whose pages log a console error).
import { signIn } from "./fixtures/auth";
import { expect, test } from "./fixtures/test";

test("an admin creates a user, changes their role, and the user signs in with it", async ({ page, browser }) => {
  await signIn(page, "admin");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).click();
  await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();

  const email = `new-${Date.now()}@example.com`;
  const create = page.getByTestId("create-user-form");
  await create.getByLabel("E-mail").fill(email);
  await create.getByLabel("Role").selectOption("viewer");
  await create.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByTestId("user-action-outcome")).toContainText(`Created viewer ${email}.`);
  const password = (await page.getByTestId("generated-password").textContent())!;
  expect(password.length).toBeGreaterThanOrEqual(16);

  const row = page.locator(`[data-testid="user-row"][data-email="${email}"]`);
  await expect(row).toBeVisible();
  await row.getByTestId("role-select").selectOption("reviewer");
  await row.getByTestId("change-role").click();
  await expect(row.getByRole("status")).toHaveText(`${email} is now reviewer.`);
  await expect(page.getByTestId("user-changes")).toContainText(`changed ${email} from viewer to reviewer`);
  await expect(page.getByTestId("user-changes")).toContainText(`created ${email} as viewer`);

  const other = await browser.newPage();
  try {
    await other.goto("/sign-in");
    await other.getByLabel("E-mail").fill(email);
    await other.getByLabel("Password").fill(password);
    await other.getByRole("button", { name: "Sign in" }).click();
    await expect(other.getByTestId("current-role")).toHaveText("reviewer");
    // a reviewer sees no Users link and is refused the page
    await expect(other.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" })).toHaveCount(0);
    await other.goto("/users");
    await expect(other).toHaveURL(/\/forbidden\?need=admin$/);
  } finally {
    await other.close();
  }

  // disabling signs the user out: their next page load goes to sign-in
  await row.getByTestId("disable-user").click();
  await expect(row.getByTestId("user-status")).toHaveText("disabled");
});

test("the last admin cannot demote themselves; the message shows beside the form", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/users");
  const me = page.locator('[data-testid="user-row"][data-email="admin@example.com"]');
  await me.getByTestId("role-select").selectOption("viewer");
  await me.getByTestId("change-role").click();
  await expect(me.getByRole("alert")).toHaveText("This is the last enabled admin: make another user admin first.");
  await page.reload();
  await expect(page.getByTestId("current-role")).toHaveText("admin");
});

test("every response carries the security headers; favicon and health answer", async ({ page, request }) => {
  const response = (await page.goto("/sign-in"))!;
  const headers = response.headers();
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  // the CSP does not break the app: the sign-in form is interactive (client validation message)
  await page.getByLabel("E-mail").fill("not-an-address");
  await page.getByLabel("Password").fill("x");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("#email-error")).toHaveText("Enter a valid e-mail address.");

  const icon = await request.get("/favicon.ico");
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toMatch(/image\//);

  const health = await request.get("/api/health");
  expect(health.status()).toBe(200);
  expect(health.headers()["x-frame-options"]).toBe("DENY");
  expect(await health.json()).toEqual({ status: "ok", up: true, database: "reachable", migrations: "current", runner: "alive" });
  expect((await request.get("/api/metrics")).status()).toBe(401);
});

test("the shared fixture fails a test whose page logs a console error", async ({ page }) => {
  test.fail(); // expected to fail: proves the fixture (tests/e2e/fixtures/test.ts) catches it
  await page.goto("/sign-in");
  await page.evaluate(() => console.error("a deliberate console error"));
});
