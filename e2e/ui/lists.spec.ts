import { expect, test } from "@playwright/test";
import { createDashboardUser, issueKey, uniqueName } from "../support/cli";
import { Partner } from "../support/partner-api";
import { signIn } from "../support/ui";

const LIST_PAGES = ["/orders", "/exceptions", "/webhooks", "/failed-events", "/status-mapping", "/channel-failures", "/shops", "/shops/inbox", "/sku-map", "/routing"];

/**
 * The dashboard's lists share one table: named for screen readers, never wider than a phone's screen (a wide
 * table scrolls inside its own box), and a list of things with pages opens one from anywhere on its row.
 */
test("lists fit a 390 px screen, scroll inside their box, and an order's row opens the order", async ({ page, request }) => {
  const partner = new Partner(request, await issueKey({ account: uniqueName("lists"), env: "sandbox" }));
  const reference = uniqueName("list");
  const order = await partner.placeOrder(reference);

  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, await createDashboardUser("admin"));
  for (const path of LIST_PAGES) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    for (const table of await page.getByRole("table").all()) {
      await expect(table, `${path}: a table is named`).toHaveAccessibleName(/\w/);
      const box = await table.locator("xpath=..").boundingBox();
      expect(box, `${path}: the table's box`).not.toBeNull();
      expect(box!.x, `${path}: starts on screen`).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width, `${path}: ends on screen`).toBeLessThanOrEqual(390);
    }
  }
  await page.goto("/status-mapping");
  await expect(page.getByRole("table", { name: "Status mappings" }).getByRole("columnheader", { name: "Raw status" })).toBeVisible();

  await page.setViewportSize({ width: 1360, height: 900 });
  await page.goto(`/orders?q=${encodeURIComponent(order.order_number as string)}`);
  const row = page.getByRole("row", { name: new RegExp(order.order_number as string) });
  // A click on the "Ship to" cell lands on the row's link, which covers the row.
  const cell = (await row.getByRole("cell", { name: /Grace Hopper/ }).boundingBox())!;
  await page.mouse.click(cell.x + cell.width / 2, cell.y + cell.height / 2);
  await expect(page).toHaveURL(new RegExp(`/orders/${order.id}$`));
});
