import { expect, type Page } from "@playwright/test";
import type { DashboardUser } from "./cli";

/** Signs a dashboard user in through the login form and waits for the main navigation. */
export async function signIn(page: Page, user: DashboardUser) {
  await page.goto("/login");
  await page.getByLabel("E-mail").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
}

/**
 * Follows an entry of the main navigation as a user would: entries of a group sit behind its menu button
 * (Integrations, Configuration…), which is opened first.
 */
export async function followNav(page: Page, label: string) {
  const nav = page.getByRole("navigation", { name: "Main" });
  const link = nav.getByRole("link", { name: label, exact: true });
  if (!(await link.isVisible())) {
    for (const menu of await nav.getByRole("button").all()) {
      await menu.click();
      if (await link.isVisible()) break;
      await menu.click();
    }
  }
  const href = await link.getAttribute("href");
  await link.click();
  // Arrived: until then the old page (and an open menu, which closes on arrival) is still on screen.
  if (href) await page.waitForURL((url) => url.pathname === href);
}
