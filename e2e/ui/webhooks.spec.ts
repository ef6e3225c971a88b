import { expect, test } from "@playwright/test";
import { createDashboardUser, issueKey, uniqueName } from "../support/cli";
import { expectStatus, Partner, type Json } from "../support/partner-api";
import { followNav, signIn } from "../support/ui";
import { startReceiver } from "../support/webhook-receiver";

// The e2e server runs with WEBHOOK_RETRY_SCHEDULE_SECONDS=1,2,4: four failed attempts (about 7 s) make a dead letter.

test("ops sees a dead letter and replays it; the receiver gets the same event_id again", async ({ page, request, browser }) => {
  test.setTimeout(120_000);
  const receiver = await startReceiver((_req, res) => res.writeHead(500).end("not ready"));
  try {
    const partner = new Partner(request, await issueKey({ account: uniqueName("webhooks"), env: "sandbox" }));
    const hook = await expectStatus(await partner.post("/v1/webhooks", { url: receiver.url, events: ["inventory.adjusted"] }), 201);
    const warehouses = (await expectStatus(await partner.get("/v1/warehouses"), 200)).data as Json[];
    await expectStatus(await partner.post("/v1/sandbox/inventory", { sku: uniqueName("SKU").toUpperCase(), warehouse_id: warehouses[0].id, on_hand: 7 }), 200);

    await receiver.waitForRequests(4, 60_000);
    const eventId = receiver.requests[0].body.event_id as string;
    expect(receiver.requests.map((r) => r.body.event_id)).toEqual([eventId, eventId, eventId, eventId]);

    await signIn(page, await createDashboardUser("ops"));
    await followNav(page, "Webhooks");
    await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
    await page.getByRole("link", { name: receiver.url }).first().click();
    await expect(page).toHaveURL(new RegExp(`/webhooks/${hook.id as string}$`));

    const deadLetters = page.getByRole("region", { name: "Dead letters", exact: true });
    await expect(async () => {
      await page.reload();
      await expect(deadLetters.getByRole("link", { name: eventId })).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
    await expect(deadLetters.getByRole("row", { name: new RegExp(eventId) })).toContainText("HTTP 500");

    // Everyone reads; only ops acts.
    const supportContext = await browser.newContext({ baseURL: test.info().project.use.baseURL });
    const support = await supportContext.newPage();
    await signIn(support, await createDashboardUser("support"));
    await support.goto(`/webhooks/${hook.id as string}`);
    await expect(support.getByRole("region", { name: "Dead letters", exact: true }).getByRole("link", { name: eventId })).toBeVisible();
    await expect(support.getByRole("button", { name: /Replay|Send test event/ })).toHaveCount(0);
    await supportContext.close();

    receiver.statuses();
    await deadLetters.getByRole("button", { name: `Replay inventory.adjusted ${eventId}` }).click();
    await receiver.waitForRequests(5, 30_000);
    expect(receiver.requests[4].body.event_id).toBe(eventId);

    await page.goto(`/webhooks/events/${eventId}`);
    await expect(async () => {
      await page.reload();
      await expect(page.getByText("Delivered", { exact: true })).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await expect(page.getByRole("table", { name: new RegExp(`Attempts to deliver ${eventId}`) }).getByRole("row")).toHaveCount(6);
  } finally {
    await receiver.stop();
  }
});
