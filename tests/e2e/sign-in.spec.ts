import { expect, test } from "./fixtures/test";
import { signIn, signOut } from "./fixtures/auth";
import { E2E_USERS } from "./fixtures/users";

test("signed-out visitors are sent to the sign-in page", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole("heading", { name: "FIFO Allocations" })).toBeVisible();
});

test("a wrong password shows an error and keeps the typed e-mail", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("E-mail").fill(E2E_USERS.reviewer.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  // (Next adds its own empty role="alert" route announcer, hence the class.)
  await expect(page.locator(".alert-error")).toHaveText("Wrong e-mail address or password.");
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByLabel("E-mail")).toHaveValue(E2E_USERS.reviewer.email);
  await expect(page.getByLabel("Password")).toHaveValue("");
});

test("an invalid e-mail is reported beside the field", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("E-mail").fill("not-an-address");
  await page.getByLabel("Password").fill("whatever");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("#email-error")).toHaveText("Enter a valid e-mail address.");
  await expect(page.getByLabel("E-mail")).toHaveValue("not-an-address");
});

test("the right password lands on the overview with the nav; sign-out returns to sign-in", async ({ page, context }) => {
  await signIn(page, "admin");
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const label of ["Overview", "Unmatched sells", "Discrepancies", "PnL by symbol", "Compare", "Allocations", "Trades", "Review queue", "Runs"]) {
    await expect(nav.getByRole("link", { name: label, exact: true })).toBeVisible();
  }
  await expect(nav.getByRole("link", { name: "Overview" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("current-user")).toHaveText(E2E_USERS.admin.email);

  const cookie = (await context.cookies()).find((c) => c.name === "fifo_session");
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });

  await signOut(page);
  expect((await context.cookies()).find((c) => c.name === "fifo_session")).toBeUndefined();
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in$/);
});

test("a viewer sees the role in the header", async ({ page }) => {
  await signIn(page, "viewer");
  await expect(page.getByTestId("current-role")).toHaveText("viewer");
  await expect(page.getByTestId("current-user")).toHaveText(E2E_USERS.viewer.email);
});

test("after signing in, the visitor returns to the page they asked for; off-site targets are ignored", async ({ page }) => {
  await page.goto("/forbidden?need=admin");
  await page.goto("/runs?tab=history");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fruns%3Ftab%3Dhistory$/);
  await page.getByLabel("E-mail").fill(E2E_USERS.reviewer.email);
  await page.getByLabel("Password").fill(E2E_USERS.reviewer.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname === "/runs");
  expect(new URL(page.url()).search).toBe("?tab=history");

  await page.goto("/sign-in?next=//evil.example/");
  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/$/); // already signed in: straight to the overview
});
