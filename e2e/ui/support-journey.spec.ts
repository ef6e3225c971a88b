import { expect, test } from "@playwright/test";
import { createDashboardUser, issueKey, uniqueName } from "../support/cli";
import { expectStatus, Partner, type Json } from "../support/partner-api";
import { followNav } from "../support/ui";

/**
 * A support agent takes a customer's call: signs in, finds the order by its number and by a tracking number,
 * opens it and reads both parcels' tracking links and the timeline. The order is made through the real API
 * beforehand (created, picked, shipped in two parcels in the sandbox).
 */
test("support finds an order by number and by tracking number and reads its parcels and timeline", async ({ page, request }) => {
  const user = await createDashboardUser("support");
  const partner = new Partner(request, await issueKey({ account: uniqueName("ui-partner"), env: "sandbox" }));

  const { order, tracking } = await test.step("a partner's order ships in two parcels", async () => {
    const warehouses = (await expectStatus(await partner.get("/v1/warehouses"), 200)).data as Json[];
    const warehouseId = warehouses[0].id as string;
    const sku = uniqueName("LAMP").toUpperCase();
    expect((await partner.post("/v1/sandbox/inventory", { sku, warehouse_id: warehouseId, on_hand: 5 })).status()).toBeLessThan(300);
    const reference = uniqueName("ui");
    const created = await expectStatus(
      await partner.post("/v1/orders", {
        order_number: `SO-${reference}`.toUpperCase(),
        reference,
        warehouse_id: warehouseId,
        ship_to: { name: "Ada Lovelace", address1: "12 Analytical St", city: "Sydney", state: "NSW", postcode: "2000", country: "AU" },
        items: [{ sku, quantity: 2 }],
      }),
      201,
    );
    await expectStatus(await partner.post(`/v1/sandbox/orders/${created.id}/pick`), 200);
    const stamp = Date.now().toString().slice(-8);
    const tracking = [`UI${stamp}01AU`, `UI${stamp}02AU`];
    await expectStatus(await partner.post(`/v1/sandbox/orders/${created.id}/ship`, { parcels: tracking.map((t) => ({ tracking_number: t })) }), 201);
    return { order: created, tracking };
  });
  const orderNumber = order.order_number as string;

  await test.step("sign in", async () => {
    await page.goto("/login");
    await page.getByLabel("E-mail").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    // Sign-in lands on the overview; the agent goes to the orders from the navigation.
    await expect(page).toHaveURL(/\/$/);
    await followNav(page, "Orders");
    await expect(page).toHaveURL(/\/orders$/);
  });

  const search = async (q: string) => {
    await page.getByRole("searchbox", { name: /Search orders/ }).fill(q);
    await page.getByRole("searchbox", { name: /Search orders/ }).press("Enter");
    await expect(page).toHaveURL(new RegExp(`[?&]q=${encodeURIComponent(q)}`));
  };

  await test.step("search by order number", async () => {
    await search(orderNumber);
    await expect(page.getByRole("link", { name: orderNumber, exact: true })).toBeVisible();
    await expect(page.getByText(order.id as string)).toBeVisible();
  });

  await test.step("search by the second parcel's tracking number and open the order", async () => {
    await search(tracking[1]);
    const link = page.getByRole("link", { name: orderNumber, exact: true });
    await expect(link).toBeVisible();
    await link.click();
    await expect(page).toHaveURL(new RegExp(`/orders/${order.id}$`));
    await expect(page.getByRole("heading", { level: 1 })).toContainText(orderNumber);
  });

  await test.step("both tracking numbers are links to the carrier", async () => {
    for (const number of tracking) {
      const link = page.getByRole("link", { name: new RegExp(number) });
      await expect(link).toBeVisible();
      await expect(link).toHaveAttribute("href", new RegExp(number));
    }
  });

  await test.step("the timeline shows where each step came from", async () => {
    const timeline = page.getByRole("region", { name: /^Timeline/ });
    await expect(timeline).toBeVisible();
    const entries = timeline.getByRole("listitem");
    expect(await entries.count()).toBeGreaterThanOrEqual(3);
    await expect(timeline.getByText("Partner API").first()).toBeVisible();
    await expect(timeline.getByText("Sandbox").first()).toBeVisible();
  });

  await page.screenshot({ path: test.info().outputPath("support-order-page.png"), fullPage: true });
});
