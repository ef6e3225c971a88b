import { expect, test, type ConsoleMessage } from "@playwright/test";
import { createDashboardUser } from "../support/cli";
import { navItemsFor } from "@/lib/dashboard/nav";
import { followNav, signIn } from "../support/ui";

/**
 * The dashboard works under its Content-Security-Policy: an admin signs in (the form is script-driven) and walks
 * through every page by the navigation, charts included, and the browser reports no blocked script or style.
 */
test("an admin walks every dashboard page without a Content-Security-Policy violation", async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  const violations: string[] = [];
  const problems = (message: ConsoleMessage) => {
    const text = message.text();
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(text)) violations.push(`${page.url()}: ${text}`);
  };
  page.on("console", problems);
  page.on("pageerror", (error) => violations.push(`${page.url()}: ${error.message}`));

  const user = await createDashboardUser("admin");
  const login = await page.goto("/login");
  expect(login?.headers()["content-security-policy"]).toContain("'strict-dynamic'");
  await page.screenshot({ path: testInfo.outputPath("login.png"), fullPage: true });
  await signIn(page, user);
  await expect(page).toHaveURL(/\/$/);
  await page.screenshot({ path: testInfo.outputPath("overview.png"), fullPage: true });

  for (const { label } of navItemsFor("admin")) {
    await followNav(page, label);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    if (label === "Integration health") {
      // Charts size themselves with inline styles: drawn means those were allowed.
      const chart = page.locator(".recharts-wrapper > svg.recharts-surface").first();
      await expect(chart).toBeVisible();
      expect((await chart.boundingBox())?.width ?? 0).toBeGreaterThan(100);
      await page.screenshot({ path: testInfo.outputPath("metrics.png"), fullPage: true });
    }
  }
  // A full load of a page as well as client-side navigation, and the page for an address that does not exist.
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await page.goto("/no-such-page");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await page.getByRole("link", { name: "Go to orders" }).click();
  await expect(page).toHaveURL(/\/orders$/);

  expect(violations).toEqual([]);
});
