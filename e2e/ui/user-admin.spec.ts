import { expect, test, type Browser, type Page } from "@playwright/test";
import { createDashboardUser, uniqueName, type DashboardUser } from "../support/cli";
import { expectError, expectStatus, Partner } from "../support/partner-api";
import { followNav, signIn } from "../support/ui";

/** A second browser, signed in as `user`: their own cookies, as on their own machine. */
async function elsewhere(browser: Browser, user: DashboardUser): Promise<Page> {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const page = await context.newPage();
  await signIn(page, user);
  return page;
}

/** Accepts the confirmation the next click asks for. */
function acceptNextConfirm(page: Page) {
  page.once("dialog", (dialog) => void dialog.accept());
}

test("a disabled user is signed out at their next request, and a form they submit is refused", async ({ page, browser }) => {
  const admin = await createDashboardUser("admin");
  const colleague = await createDashboardUser("admin");
  const theirs = await elsewhere(browser, colleague);
  // They have the add-user form open and filled in when they are disabled.
  await theirs.goto("/admin/users");
  const newcomer = `${uniqueName("newcomer")}@example.test`;
  const theirForm = theirs.getByRole("form", { name: "Add a user" });
  await theirForm.getByLabel("E-mail").fill(newcomer);

  await signIn(page, admin);
  await followNav(page, "Users");
  await expect(page.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();
  acceptNextConfirm(page);
  await page.getByRole("button", { name: `Disable ${colleague.email}` }).click();
  await expect(page.getByRole("status").filter({ hasText: `${colleague.email} is disabled and signed out.` })).toBeVisible();

  // Their token has hours left, but the next request already fails: the action is refused and changes nothing…
  await theirForm.getByRole("button", { name: "Add user" }).click();
  await expect(theirForm.getByRole("alert")).toHaveText("You are signed out. Sign in again, then retry.");
  // …and the next page they open is the sign-in form.
  await theirs.goto("/orders");
  await expect(theirs).toHaveURL(/\/login/);
  await expect(theirs.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
  // Nor can they sign in again.
  await theirs.getByLabel("E-mail").fill(colleague.email);
  await theirs.getByLabel("Password").fill(colleague.password);
  await theirs.getByRole("button", { name: "Sign in" }).click();
  await expect(theirs.getByText("That e-mail and password do not match an active account.")).toBeVisible();
  await theirs.context().close();

  await page.reload();
  await expect(page.getByText(newcomer)).toHaveCount(0);
  await expect(page.getByRole("button", { name: `Enable ${colleague.email}` })).toBeVisible();
});

test("an admin adds a user with a generated password shown once, and a taken e-mail is refused on its field", async ({ page, browser }) => {
  await signIn(page, await createDashboardUser("admin"));
  await page.goto("/admin/users");
  const form = page.getByRole("form", { name: "Add a user" });
  const email = `${uniqueName("added")}@example.test`;
  await form.getByLabel("E-mail").fill(email);
  await form.getByLabel("Role").selectOption("warehouse");
  // The keyboard submits the form.
  await form.getByLabel("E-mail").press("Enter");
  await expect(form.getByRole("status").filter({ hasText: `Created ${email} (warehouse).` })).toBeVisible();
  const password = await form.getByLabel(`Password for ${email}`).inputValue();
  expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);
  await expect(page.getByRole("table", { name: "Dashboard users" }).getByText(email, { exact: true })).toBeVisible();

  await form.getByLabel("E-mail").fill(email.toUpperCase());
  await form.getByRole("button", { name: "Add user" }).click();
  const field = form.getByLabel("E-mail");
  await expect(form.getByText(`${email} already has a user.`)).toBeVisible();
  await expect(field).toHaveAttribute("aria-invalid", "true");
  // What was typed stays, to be corrected.
  await expect(field).toHaveValue(email.toUpperCase());

  const theirs = await elsewhere(browser, { email, password, role: "warehouse" });
  await expect(theirs.getByRole("navigation", { name: "Main" })).toBeVisible();
  await theirs.context().close();
});

test("a new role applies at the user's next request", async ({ page, browser }) => {
  const ops = await createDashboardUser("ops");
  const theirs = await elsewhere(browser, ops);
  await theirs.goto("/routing");
  await expect(theirs.getByRole("heading", { level: 1, name: "Routing" })).toBeVisible();

  await signIn(page, await createDashboardUser("admin"));
  await page.goto("/admin/users");
  await page.getByLabel(`Role of ${ops.email}`, { exact: true }).selectOption("support");
  await page.getByRole("button", { name: `Save the role of ${ops.email}` }).click();
  await expect(page.getByRole("status").filter({ hasText: `${ops.email} is now support.` })).toBeVisible();

  await theirs.reload();
  await expect(theirs.getByRole("heading", { level: 1, name: "You don't have access to that page" })).toBeVisible();
  await expect(theirs.getByText("Your role (support) cannot open it.")).toBeVisible();
  await theirs.context().close();
});

test("a password reset signs the user out; the new password, shown once, signs them in", async ({ page, browser }) => {
  const user = await createDashboardUser("support");
  const theirs = await elsewhere(browser, user);
  await signIn(page, await createDashboardUser("admin"));
  await page.goto("/admin/users");
  acceptNextConfirm(page);
  await page.getByRole("button", { name: `Reset password of ${user.email}` }).click();
  const password = await page.getByLabel(`New password for ${user.email}`).inputValue();
  expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);

  await theirs.goto("/orders");
  await expect(theirs).toHaveURL(/\/login/);
  await theirs.context().close();
  const again = await elsewhere(browser, { ...user, password });
  await expect(again.getByRole("navigation", { name: "Main" })).toBeVisible();
  await again.context().close();
});

test("an API key issued on the page works until it is revoked there, then gets 401 at once", async ({ page, request }) => {
  await signIn(page, await createDashboardUser("admin"));
  await followNav(page, "API keys");
  await expect(page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();
  const account = uniqueName("Keys Co");
  const form = page.getByRole("form", { name: "Issue an API key" });
  await form.getByLabel("Account").fill(account);
  await form.getByLabel("Environment").selectOption("sandbox");
  await form.getByLabel("Role").selectOption("partner");
  await form.getByRole("button", { name: "Issue key" }).click();
  const shown = form.getByLabel(/^New key wms_test_/);
  const key = await shown.inputValue();
  expect(key).toMatch(/^wms_test_[A-Za-z0-9]{40}$/);
  const prefix = key.slice(0, 13);

  const partner = new Partner(request, key);
  await expectStatus(await partner.get("/v1/warehouses?limit=1"), 200);

  // Listed under its account, with when it was last used; never the whole key again.
  await page.goto("/admin/api-keys");
  await page.getByRole("form", { name: "Filter by account" }).getByLabel("Account").selectOption({ label: account });
  await page.getByRole("button", { name: "Show" }).click();
  const table = page.getByRole("table", { name: "API keys" });
  const row = table.getByRole("row", { name: new RegExp(prefix) });
  await expect(row).toContainText(`${prefix}…`);
  await expect(row).not.toContainText("Never");
  await expect(page.getByText(key)).toHaveCount(0);

  acceptNextConfirm(page);
  await row.getByRole("button", { name: `Revoke ${prefix}… of ${account}` }).click();
  // The list is drawn again with the key revoked, and no button to revoke it twice.
  await expect(row).toContainText("Revoked");
  await expect(row.getByRole("button")).toHaveCount(0);
  await expectError(await partner.get("/v1/warehouses?limit=1"), 401, "unauthorized");
});

test("support, warehouse and ops cannot open the Admin pages", async ({ page }) => {
  for (const role of ["support", "warehouse", "ops"] as const) {
    await page.context().clearCookies();
    await signIn(page, await createDashboardUser(role));
    for (const path of ["/admin/users", "/admin/api-keys"]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1, name: "You don't have access to that page" })).toBeVisible();
    }
  }
});
