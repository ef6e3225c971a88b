import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Page, type TestInfo } from "@playwright/test";
import { navItemsFor } from "@/lib/dashboard/nav";
import { createDashboardUser, issueKey, uniqueName } from "../support/cli";
import { Partner } from "../support/partner-api";
import { signIn } from "../support/ui";

const ROLES = ["support", "warehouse", "ops", "admin"] as const;

/** Console errors and uncaught page errors (React's hydration error #418 among them), with the page they came from. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`${page.url()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`${page.url()}: ${error.message}`));
  return errors;
}

/** Loads the page and waits until it is drawn and hydrated (the framework's scripts have run). */
async function open(page: Page, path: string) {
  await page.goto(path);
  await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
  await page.waitForLoadState("load");
}

/** axe's findings of every impact, one line each, so a failure names the rule and the elements. */
async function axeViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.map((v) => `${page.url()}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** At a phone's width the page is no wider than the screen (a wide table scrolls inside its own box). */
async function horizontalOverflow(page: Page): Promise<string | null> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  return scrollWidth <= innerWidth ? null : `${page.url()}: ${scrollWidth} px wide at ${innerWidth} px`;
}

/** A picture of the page for the run's report, named after its path and width. */
async function picture(page: Page, testInfo: TestInfo, path: string, width: number) {
  const name = path.replace(/^\//, "").replaceAll("/", "_").replace(/[0-9a-f-]{36}/, "id") || "home";
  await page.screenshot({ path: testInfo.outputPath(`${name}-${width}.png`), fullPage: true });
}

/** Every page once at 1360 px (axe) and once at 390 px (overflow), watching the console throughout. */
async function checkPages(browser: Browser, testInfo: TestInfo, paths: string[], signInAs?: Parameters<typeof signIn>[1]) {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  if (signInAs) await signIn(page, signInAs);
  const violations: string[] = [];
  const overflows: string[] = [];
  for (const path of paths) {
    await open(page, path);
    violations.push(...(await axeViolations(page)));
    await picture(page, testInfo, path, 1360);
  }
  await page.setViewportSize({ width: 390, height: 844 });
  for (const path of paths) {
    await open(page, path);
    const overflow = await horizontalOverflow(page);
    if (overflow) overflows.push(overflow);
    await picture(page, testInfo, path, 390);
  }
  await context.close();
  expect(violations, "axe violations").toEqual([]);
  expect(overflows, "pages wider than a 390 px screen").toEqual([]);
  expect(errors, "console and page errors").toEqual([]);
}

let orderPath: string;

test.beforeAll(async ({ playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { accept: "application/json" } });
  const partner = new Partner(request, await issueKey({ account: uniqueName("screens"), env: "sandbox" }));
  // A quarter past midnight in the dashboard's zone (Sydney): Node once printed it "24:15" where the browser
  // printed "00:15", and the order page failed to hydrate (#418).
  const order = await partner.placeOrder(uniqueName("screen"), { order_date: "2026-12-05T13:15:00Z" });
  orderPath = `/orders/${order.id as string}`;
  await request.dispose();
});

/**
 * Every screen, for every role: no axe violation of any impact, no page wider than a phone at 390 px, and no error
 * in the browser's console (a time printed differently by server and browser shows up here as React error #418).
 */
for (const role of ROLES) {
  test(`every page ${role} can open is accessible, fits a phone and logs no errors`, async ({ browser }, testInfo) => {
    // About 20 pages for an admin, each opened twice with an axe run: more than the default minute on two cores.
    test.setTimeout(240_000);
    const hrefs = navItemsFor(role).map((item) => item.href);
    // The audit log with its filters' inline errors showing (an impossible date range), as well as plain.
    const states = hrefs.includes("/audit") ? ["/audit?from=2026-12-08&to=2026-12-01&actor=nobody%40example.com"] : [];
    const paths = ["/", ...hrefs, ...states, orderPath];
    await checkPages(browser, testInfo, paths, await createDashboardUser(role));
  });
}

test("the sign-in page is accessible, fits a phone and logs no errors", async ({ browser }, testInfo) => {
  await checkPages(browser, testInfo, ["/login"]);
});

test("the navigation's menus work from the keyboard and fold into one menu on a phone", async ({ page }) => {
  await signIn(page, await createDashboardUser("admin"));
  const nav = page.getByRole("navigation", { name: "Main" });
  const integrations = nav.getByRole("button", { name: "Integrations" });
  await expect(integrations).toHaveAttribute("aria-expanded", "false");
  await integrations.focus();
  await page.keyboard.press("Enter");
  await expect(integrations).toHaveAttribute("aria-expanded", "true");
  await expect(nav.getByRole("link", { name: "Webhooks" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(integrations).toHaveAttribute("aria-expanded", "false");
  await expect(integrations).toBeFocused();
  await expect(nav.getByRole("link", { name: "Webhooks" })).toBeHidden();
  // The whole bar on one line at 1280 px.
  await page.setViewportSize({ width: 1280, height: 800 });
  const header = await page.getByRole("banner").boundingBox();
  expect(header!.height).toBeLessThanOrEqual(56);

  await page.setViewportSize({ width: 390, height: 844 });
  await expect(integrations).toBeHidden();
  await nav.getByRole("button", { name: "Menu" }).click();
  await nav.getByRole("link", { name: "Routing" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Routing" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Routing" })).toBeHidden();
});

// Known open bug (issue 13): it passes most runs but lost the text in one CI run, with no console error, so the time
// formatter was not the whole cause. Kept as fixme so it shows as skipped until the cause is found and fixed.
test.fixme("text typed into the support search while the page loads is still there once it has hydrated", async ({ page }) => {
  await signIn(page, await createDashboardUser("support"));
  const errors = watchErrors(page);
  // Typed as soon as the box is in the HTML, before the scripts have run: a page that fails to hydrate is drawn again
  // by the browser from scratch, and the box comes back empty.
  await page.goto("/orders", { waitUntil: "commit" });
  const search = page.getByLabel("Search orders");
  await search.pressSequentially("SO-1004");
  await page.waitForLoadState("networkidle");
  await expect(search).toHaveValue("SO-1004");
  expect(errors).toEqual([]);
});
