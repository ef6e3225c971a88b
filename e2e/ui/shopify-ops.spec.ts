import { createHmac, randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { eventually, expectStatus, Partner, type Json } from "../support/partner-api";
import { createDashboardUser, issueKey, npmScript, uniqueName } from "../support/cli";
import { followNav, signIn } from "../support/ui";

/** Opens an ops page from the main navigation and switches it to the account. */
async function openFor(page: Page, link: "SKU map" | "Routing", account: string) {
  await followNav(page, link);
  await expect(page.getByRole("heading", { level: 1, name: link })).toBeVisible();
  await page.getByLabel("Account", { exact: true }).selectOption({ label: account });
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page.getByRole("heading", { level: 2, name: new RegExp(account) })).toBeVisible();
}

const HEADER = "channel_sku,variant_id,account_sku,warehouse_item_code,active";

test("ops imports a SKU map CSV with one bad row shown, then edits a routing rule and tests it", async ({ page }) => {
  test.setTimeout(120_000);
  // A sandbox account starts with WIDGET-BLUE-M (Sydney and Melbourne) and TEE-BLACK-L (Melbourne only).
  const account = uniqueName("shopify-ops");
  await issueKey({ account, env: "sandbox" });
  await signIn(page, await createDashboardUser("ops"));

  await test.step("a file with one bad row is refused whole, the row named", async () => {
    await openFor(page, "SKU map", account);
    await expect(page.getByText("No mappings yet")).toBeVisible();
    const bad = [HEADER, "SHOP-BLUE,111,WIDGET-BLUE-M,WB-01,", "SHOP-NOPE,222,NO-SUCH-SKU,,", "SHOP-TEE,333,TEE-BLACK-L,,true"].join("\n");
    await page.getByLabel("CSV file").setInputFiles({ name: "map.csv", mimeType: "text/csv", buffer: Buffer.from(bad) });
    await page.getByRole("button", { name: "Import CSV" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "nothing was imported" })).toContainText("1 problem(s)");
    const errors = page.getByRole("table", { name: "Import errors" });
    await expect(errors.getByRole("row")).toHaveCount(2);
    await expect(errors.getByRole("row").nth(1)).toContainText(/^3\s*account_sku\s*account_sku 'NO-SUCH-SKU' is not a SKU of this account/);
    await page.reload();
    await expect(page.getByText("No mappings yet")).toBeVisible();
  });

  await test.step("the corrected file imports, with its progress shown", async () => {
    const good = [HEADER, "SHOP-BLUE,111,WIDGET-BLUE-M,WB-01,", "SHOP-TEE,333,TEE-BLACK-L,,true"].join("\n");
    await page.getByLabel("CSV file").setInputFiles({ name: "map.csv", mimeType: "text/csv", buffer: Buffer.from(good) });
    await page.getByRole("button", { name: "Import CSV" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Imported 2 rows" })).toContainText("2 added, 0 updated");
    const table = page.getByRole("table", { name: "SKU mappings" });
    await expect(table.getByRole("row", { name: /SHOP-BLUE/ })).toContainText("WIDGET-BLUE-M");
    await expect(table.getByRole("row", { name: /SHOP-TEE/ })).toContainText("TEE-BLACK-L");
  });

  await test.step("ops creates a rule, edits it with inline validation, and tests the rule set", async () => {
    await openFor(page, "Routing", account);
    const create = page.getByRole("form", { name: "New routing rule" });
    await create.getByLabel("Rule name").fill("Oceania from Sydney");
    await create.getByLabel("Destination countries").fill("AU");
    await create.getByLabel("1st choice warehouse").selectOption({ label: "Sydney DC" });
    await create.getByRole("button", { name: "Create rule" }).click();
    const rules = page.getByRole("table", { name: "Routing rules" });
    await expect(rules.getByRole("row", { name: /Oceania from Sydney/ })).toContainText("to AU");

    await rules.getByRole("button", { name: "Edit rule Oceania from Sydney" }).click();
    const edit = page.getByRole("form", { name: "Edit rule Oceania from Sydney" });
    await edit.getByLabel("Rule name").fill("Oceania from Melbourne");
    await edit.getByLabel("Destination countries").fill("AU, NZZ");
    await expect(edit.getByText("'NZZ' is not a two-letter country code such as AU.")).toBeVisible();
    await edit.getByLabel("Destination countries").fill("NZ");
    await expect(edit.getByText(/is not a two-letter country code/)).toHaveCount(0);
    await edit.getByLabel("1st choice warehouse").selectOption({ label: "Melbourne DC" });
    await edit.getByRole("button", { name: "Save rule" }).click();
    const row = rules.getByRole("row", { name: /Oceania from Melbourne/ });
    await expect(row).toContainText("to NZ");
    await expect(row).toContainText("Melbourne DC");

    const trial = page.getByRole("form", { name: "Test this rule set" });
    await trial.getByLabel("Country").fill("NZ");
    await trial.getByLabel("Lines").fill("TEE-BLACK-L 2");
    await trial.getByRole("button", { name: "Test rules" }).click();
    const result = page.getByRole("region", { name: "Routing result" });
    await expect(result).toContainText("Winner: Melbourne DC");
    await expect(result.getByRole("listitem", { name: "Rule Oceania from Melbourne" })).toContainText("Chose the warehouse");

    await trial.getByLabel("Country").fill("AU");
    await trial.getByRole("button", { name: "Test rules" }).click();
    await expect(result).toContainText("No warehouse can take this order");
    await expect(result.getByRole("listitem", { name: "Rule Oceania from Melbourne" })).toContainText("destination country AU is not one of NZ");
  });
});

test("a Shopify order with an unmapped SKU waits on hold; ops adds the mapping from its link and the same order is allocated", async ({ page, request }) => {
  test.setTimeout(120_000);
  const account = uniqueName("shopify-hold");
  const partner = new Partner(request, await issueKey({ account, env: "sandbox" }));
  const shop = `${uniqueName("store")}.myshopify.com`;
  const secret = `whsec-${randomUUID()}`;
  await npmScript("shop", ["connect", "--shop", shop, "--account", account, "--secret", secret, "--token", "shpat_e2e"]);

  const shopifyOrderId = Date.now();
  const body = JSON.stringify({
    id: shopifyOrderId,
    name: "#E2E1",
    email: "buyer@example.test",
    created_at: new Date().toISOString(),
    updated_at: new Date().toISOString(),
    currency: "AUD",
    tags: "",
    line_items: [{ id: shopifyOrderId + 1, variant_id: shopifyOrderId + 2, sku: "SHOP-WIDGET", title: "Widget", quantity: 2, price: "9.50" }],
    shipping_address: { first_name: "Ada", last_name: "Byron", address1: "1 George St", city: "Sydney", province_code: "NSW", zip: "2000", country_code: "AU" },
    shipping_lines: [{ title: "Standard" }],
  });
  const headers = {
    "content-type": "application/json",
    "x-shopify-topic": "orders/create",
    "x-shopify-shop-domain": shop,
    "x-shopify-webhook-id": randomUUID(),
    "x-shopify-event-id": randomUUID(),
    "x-shopify-api-version": "2026-10",
    "x-shopify-hmac-sha256": createHmac("sha256", secret).update(body).digest("base64"),
  };
  expect((await request.post("/channels/shopify/webhooks", { headers: { ...headers, "x-shopify-hmac-sha256": "AAAA" }, data: body })).status()).toBe(401);
  expect((await request.post("/channels/shopify/webhooks", { headers, data: body })).status()).toBe(200);

  const reference = `shopify:${shop}:${shopifyOrderId}`;
  const held = await eventually(async () => {
    const list = await expectStatus(await partner.get(`/v1/orders?reference=${encodeURIComponent(reference)}`), 200);
    return (list.data as Json[])[0];
  }, "the Shopify order to reach the hub");
  expect(held).toMatchObject({ channel: "shopify", order_number: "#E2E1", status: "on_hold", hold_reason: "unmapped_sku", warehouse_id: null });
  expect((held.items as Json[]).map((i) => [i.sku, i.quantity])).toEqual([["SHOP-WIDGET", 2]]);

  await signIn(page, await createDashboardUser("ops"));
  await openFor(page, "SKU map", account);
  const waiting = page.getByRole("table", { name: "Lines waiting for a mapping" });
  await waiting.getByRole("row", { name: /SHOP-WIDGET/ }).getByRole("link", { name: "Add this mapping" }).click();
  const form = page.getByRole("form", { name: "Add SKU mapping" });
  await expect(form.getByLabel("Shopify SKU")).toHaveValue("SHOP-WIDGET");
  await expect(form.getByLabel("Variant id")).toHaveValue(String(shopifyOrderId + 2));
  await form.getByLabel("Account SKU").fill("WIDGET-BLUE-M");
  await form.getByRole("button", { name: "Add mapping" }).click();
  await expect(form.getByRole("status")).toContainText("Order #E2E1 was re-run and is now received");

  const released = await expectStatus(await partner.get(`/v1/orders/${held.id as string}`), 200);
  expect(released).toMatchObject({ id: held.id, status: "received", hold_reason: null });
  expect(released.warehouse_id).toBeTruthy();
  expect((released.items as Json[]).map((i) => [i.sku, i.quantity])).toEqual([["WIDGET-BLUE-M", 2]]);
  const all = await expectStatus(await partner.get(`/v1/orders?reference=${encodeURIComponent(reference)}`), 200);
  expect(all.data).toHaveLength(1);

  // The order's arrival is on the health page; nothing holds the partner feeds back.
  await page.goto("/metrics");
  await expect(page.getByRole("heading", { name: "Order submission lag (minutes)" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Partner feeds held back (seconds)" })).toBeVisible();
  await expect(page.getByText("Partner feeds are held back by")).toHaveCount(0);
});
