import { expect, test } from "@playwright/test";
import { createDashboardUser, issueKey, uniqueName } from "../support/cli";
import { Partner } from "../support/partner-api";
import { ageOrderStage, detectStuckOrdersOf } from "../support/stuck-orders";
import { followNav, signIn } from "../support/ui";

/**
 * Ops tune when an order counts as stuck: the form previews, as they type, how many orders the values would flag
 * now; once saved, the next detector pass opens the exception in the queue.
 */
test("ops change an account's threshold: the preview follows the typing, and after a detector pass the queue shows the stuck order", async ({ page, request }) => {
  const account = uniqueName("stuck");
  const partner = new Partner(request, await issueKey({ account, env: "sandbox" }));
  const reference = uniqueName("stuck");
  const order = await partner.placeOrder(reference);
  expect(order.status).toBe("received");
  // Received two hours ago and still not picked: inside the default 4 h.
  await ageOrderStage(order.id as string, 2);
  expect(await detectStuckOrdersOf(account)).toEqual({ raised: 0, resolved: 0 });

  await signIn(page, await createDashboardUser("ops"));
  await followNav(page, "Stuck thresholds");
  await expect(page.getByRole("heading", { level: 1, name: "Stuck thresholds" })).toBeVisible();
  await page.getByRole("combobox", { name: "Show thresholds for" }).selectOption({ label: account });
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page.getByRole("heading", { name: `Thresholds for ${account}` })).toBeVisible();

  const preview = page.locator("#stuck-preview");
  const notPicked = page.getByTestId("preview-not_picked");
  await expect(preview).toHaveText("With these values, 0 orders are stuck now.");
  const input = page.getByLabel("Threshold for not picked", { exact: true });
  await input.fill("1 h");
  await expect(notPicked).toHaveText("1(saved values: 0)");
  await expect(preview).toHaveText("With these values, 1 order is stuck now (with the saved values: 0 orders).");

  // A typo is named at the field, and the preview waits for a value it can count.
  await input.fill("1 hour and a bit");
  await expect(page.getByText("Write a duration such as 90, 90 min, 4 h, 1 h 30 min or 2 d.")).toBeVisible();
  await expect(input).toHaveAttribute("aria-invalid", "true");
  await expect(preview).toHaveText("Fix the highlighted values to see the preview.");
  await expect(page.getByRole("button", { name: "Save thresholds" })).toBeDisabled();
  await input.fill("3 h");
  await expect(notPicked).toHaveText("0");

  // Saved from the keyboard.
  await input.fill("90 min");
  await expect(notPicked).toHaveText("1(saved values: 0)");
  await input.press("Enter");
  await expect(page.getByRole("status").filter({ hasText: `Saved for ${account}` })).toContainText("not picked (inherited) → 1 h 30 min");
  await expect(page.getByRole("table", { name: "Threshold overrides in place" }).getByRole("row", { name: new RegExp(account) })).toContainText("1 h 30 min");
  await expect(notPicked).toHaveText("1");

  // The server's own worker may get there first (it runs every minute): either way one exception is open.
  await detectStuckOrdersOf(account);
  await followNav(page, "Exceptions");
  const row = page.getByRole("row").filter({ hasText: order.order_number as string });
  await expect(row).toContainText(/Stuck: not picked for 2 h( \d+ min)? \(threshold 1 h 30 min\)/);
});

test("a warehouse manager reads the thresholds and cut-offs but cannot change them; ops set a cut-off in the warehouse's zone", async ({ page, browser }) => {
  await signIn(page, await createDashboardUser("warehouse"));
  await followNav(page, "Stuck thresholds");
  await expect(page.getByLabel("Threshold for not picked", { exact: true })).toHaveAttribute("readonly", "");
  await expect(page.getByRole("button", { name: "Save thresholds" })).toHaveCount(0);
  await expect(page.getByText("Only ops and admin users change thresholds.")).toBeVisible();
  await expect(page.getByRole("table", { name: "Warehouse cut-offs" }).getByRole("textbox")).toHaveCount(0);

  const ops = await browser.newPage();
  await signIn(ops, await createDashboardUser("ops"));
  await ops.goto("/stuck-thresholds");
  const form = ops.getByRole("form", { name: /^Daily cut-off of / }).first();
  const time = form.getByLabel(/Cut-off/);
  const before = await time.inputValue();
  await time.fill("15:30");
  await form.getByRole("button", { name: /Save the cut-off/ }).click();
  await expect(form.getByRole("status")).toContainText(/daily cut-off 15:30 \(/);
  // Put back as it was: other journeys run on the same warehouses.
  await time.fill(before);
  await form.getByRole("button", { name: /Save the cut-off/ }).click();
  await expect(form.getByRole("status")).toContainText(before ? `daily cut-off ${before}` : "no daily cut-off");
  await ops.close();
});
