import { expect, test } from "@playwright/test";
import { createDashboardUser, issueKey, uniqueName } from "../support/cli";
import { expectStatus, Partner, type Json } from "../support/partner-api";
import { followNav, signIn } from "../support/ui";

test("ops maps an unknown WMS status, is stopped from calling a label a shipment, and replays the failed event once", async ({ page, request, browser }) => {
  test.setTimeout(120_000);
  const account = uniqueName("mapping");
  const partner = new Partner(request, await issueKey({ account, env: "sandbox" }));
  const wms = new Partner(request, await issueKey({ account, env: "sandbox", role: "warehouse" }));
  const warehouses = (await expectStatus(await partner.get("/v1/warehouses"), 200)).data as Json[];
  const sku = uniqueName("SKU").toUpperCase();
  await expectStatus(await partner.post("/v1/sandbox/inventory", { sku, warehouse_id: warehouses[0].id, on_hand: 5 }), 200);
  const order = await expectStatus(
    await partner.post("/v1/orders", {
      order_number: "SO-E2E-1",
      reference: uniqueName("REF"),
      warehouse_id: warehouses[0].id,
      ship_to: { name: "Jane Doe", address1: "1 Main St", city: "Sydney", state: "NSW", postcode: "2000", country: "AU" },
      items: [{ sku, quantity: 1 }],
    }),
    201,
  );

  // The WMS reports a status nobody has mapped: stored as failed, nothing applied.
  const source = `acme${Date.now().toString(36)}`;
  const eventId = uniqueName("evt");
  const failed = await expectStatus(
    await wms.post("/v1/warehouse-events", { event_id: eventId, source, status: "READY_TO_PICK", occurred_at: new Date().toISOString(), order_id: order.id }),
    202,
  );
  expect(failed).toMatchObject({ accepted: true, state: "failed", reason: "unmapped_status" });

  // Support sees it but cannot act.
  const supportContext = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const support = await supportContext.newPage();
  await signIn(support, await createDashboardUser("support"));
  await support.goto("/failed-events");
  await expect(support.getByText(eventId, { exact: true })).toBeVisible();
  await expect(support.getByRole("button", { name: /Retry/ })).toHaveCount(0);
  await support.goto("/status-mapping");
  await expect(support.getByRole("button", { name: "Add mapping" })).toHaveCount(0);
  await supportContext.close();

  await signIn(page, await createDashboardUser("ops"));
  await followNav(page, "Failed events");
  const row = page.getByRole("row", { name: new RegExp(eventId) });
  await expect(row).toContainText("unmapped_status");
  await row.getByText("Show payload").click();
  await expect(row.getByText(`"status": "READY_TO_PICK"`)).toBeVisible();

  // The guardrail, before anything else: the carrier's LABEL_CREATED cannot be made to mean in transit.
  await page.goto("/status-mapping");
  await page.getByRole("button", { name: "Edit carrier LABEL_CREATED" }).click();
  const editForm = page.getByRole("form", { name: "Edit mapping carrier / LABEL_CREATED" });
  await editForm.getByLabel("Canonical status").selectOption("in_transit");
  await expect(editForm.getByText(/only means a label exists/)).toBeVisible();
  await editForm.getByRole("button", { name: "Save mapping" }).click();
  await expect(editForm.getByText(/only means a label exists/)).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(editForm).toHaveCount(0);
  await expect(page.getByRole("row", { name: /carrier LABEL_CREATED/ })).toContainText("ignore");

  // From the failed event straight to a prefilled form.
  await page.goto("/failed-events");
  await page.getByRole("link", { name: `Add a mapping for ${source} / READY_TO_PICK` }).click();
  const addForm = page.getByRole("form", { name: "Add a status mapping" });
  await expect(addForm.getByLabel("Source system")).toHaveValue(source);
  await expect(addForm.getByLabel("Raw status")).toHaveValue("READY_TO_PICK");
  await addForm.getByLabel("Applies to").selectOption("order");
  await addForm.getByLabel("Canonical status").selectOption("processing");
  await addForm.getByRole("button", { name: "Add mapping" }).click();
  await expect(addForm.getByText("Write the sentence support can read out to a customer.")).toBeVisible();
  await addForm.getByLabel("Customer-facing sentence").fill("Your order is ready to be picked in the warehouse.");
  await addForm.getByRole("button", { name: "Add mapping" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Saved ${source} / READY_TO_PICK → processing.` })).toBeVisible();
  await expect(page.getByRole("table", { name: "Change history" }).getByRole("row", { name: new RegExp(`${source} / READY_TO_PICK`) })).toContainText("created");

  // Retry applies it once; a second retry does nothing.
  await page.goto("/failed-events");
  await page.getByRole("button", { name: `Retry ${source} / READY_TO_PICK (${eventId})` }).click();
  await expect(page.getByText("Replayed: applied.")).toBeVisible();
  const after = await expectStatus(await partner.get(`/v1/orders/${order.id as string}`), 200);
  expect(after.status).toBe("processing");
  await page.reload();
  await expect(page.getByText(eventId, { exact: true })).toHaveCount(0);
  const timeline = await expectStatus(await partner.get(`/v1/orders/${order.id as string}/events`), 200);
  expect((timeline.data as Json[]).filter((e) => e.raw_status === "READY_TO_PICK")).toHaveLength(1);
});
