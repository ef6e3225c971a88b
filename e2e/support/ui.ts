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
