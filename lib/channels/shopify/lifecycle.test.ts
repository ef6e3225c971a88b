import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { operationalExceptions, skuMappings } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { setEnvForTests } from "@/lib/env";
import { startPicking } from "@/lib/shipments/pick";
import { createShipment } from "@/lib/shipments/ship";
import { stockOf } from "@/e2e/support/inventory";
import { upsertMapping } from "@/lib/sku-map/mappings";
import { createSku } from "@/e2e/support/factories";
import { shopifyId, shopifyOrder, type ShopifyOrderPayload } from "@/e2e/support/shopify/webhooks";
import { drainShopifyInbox } from "./process";
import { connectedShop, deliver, deliveriesOf, onlyHubOrder, openExceptions, sendWebhook, timelineTypes, type TestShop } from "@/e2e/support/shopify/intake";

beforeAll(() => {
  setEnvForTests({ SHOPIFY_INTAKE_RETRY_SCHEDULE_SECONDS: "0,0" });
});

type Setup = TestShop & { red: { sku: string; variant: number }; blue: { sku: string; variant: number } };

async function setup(): Promise<Setup> {
  const s = await connectedShop();
  const t = s.tenant;
  const red = await createSku(t, "RED", { [t.warehouses.syd]: 20 });
  const blue = await createSku(t, "BLUE", { [t.warehouses.syd]: 20 });
  const redVariant = shopifyId();
  const blueVariant = shopifyId();
  await upsertMapping(getDb(), t.ctx, { channelSku: "S-RED", variantId: `gid://shopify/ProductVariant/${redVariant}`, skuId: red.id, warehouseItemCode: null, active: true });
  await upsertMapping(getDb(), t.ctx, { channelSku: "S-BLUE", variantId: `gid://shopify/ProductVariant/${blueVariant}`, skuId: blue.id, warehouseItemCode: null, active: true });
  return { ...s, red: { sku: "S-RED", variant: redVariant }, blue: { sku: "S-BLUE", variant: blueVariant } };
}

async function placed(s: Setup, quantity = 1): Promise<ShopifyOrderPayload> {
  const payload = shopifyOrder({ updated_at: "2026-11-20T10:00:00Z", lines: [{ variant_id: s.red.variant, sku: s.red.sku, quantity }] });
  await deliver(s, "orders/create", payload);
  return payload;
}

function later(payload: ShopifyOrderPayload, minutes: number, changes: Partial<ShopifyOrderPayload> = {}): ShopifyOrderPayload {
  return { ...payload, updated_at: new Date(Date.parse(payload.updated_at) + minutes * 60_000).toISOString(), ...changes };
}

async function pick(s: Setup, orderId: string) {
  await inTransaction(getDb(), (tx) => startPicking(tx, { ...s.tenant.ctx, source: "wms" }, { orderId }));
}

async function ship(s: Setup, orderId: string, items?: { sku: string; quantity: number }[]) {
  await inTransaction(getDb(), (tx) => createShipment(tx, { ...s.tenant.ctx, source: "wms" }, { orderId, items }));
}

describe("orders/updated", () => {
  it("amends lines (current_quantity) and address while the order is not at the warehouse, keeping Shopify's line ids", async () => {
    const s = await setup();
    const payload = await placed(s, 1);
    const [redLine] = payload.line_items;
    const blueLine = { id: shopifyId(), variant_id: s.blue.variant, sku: s.blue.sku, quantity: 2, price: "5.00", title: "Blue" };
    const edited = later(payload, 5, {
      line_items: [{ ...redLine, quantity: 1, current_quantity: 3 }, blueLine],
      shipping_address: { ...payload.shipping_address, address1: "99 New St" },
    });
    await deliver(s, "orders/updated", edited);

    const { order, lines } = await onlyHubOrder(s, payload.id);
    expect(order).toMatchObject({ status: "received", version: 2 });
    expect(order.shipTo.address1).toBe("99 New St");
    expect(lines.map((l) => [l.sku, l.quantity, l.quantityAllocated, l.channelSku, l.channelLineId])).toEqual([
      ["RED", 3, 3, "S-RED", String(redLine.id)],
      ["BLUE", 2, 2, "S-BLUE", String(blueLine.id)],
    ]);
    expect(await stockOf(s.tenant, "RED")).toMatchObject({ allocated: 3 });
    expect(await timelineTypes(order.id)).toContain("amended");
    expect((await deliveriesOf(s)).map((d) => d.outcome)).toEqual(["created_received", "amended"]);
  });

  it("ignores an update that changes nothing the warehouse uses, and one older than the last applied", async () => {
    const s = await setup();
    const payload = await placed(s, 1);
    await deliver(s, "orders/updated", later(payload, 1, { tags: "paid" }));
    await deliver(s, "orders/updated", later(payload, -1, { line_items: [{ ...payload.line_items[0], current_quantity: 7 }] }));
    const { order, lines } = await onlyHubOrder(s, payload.id);
    expect(order.version).toBe(1);
    expect(lines[0].quantity).toBe(1);
    expect((await deliveriesOf(s)).map((d) => d.outcome)).toEqual(["created_received", "no_change", "stale"]);
  });

  it("too late (picking started): not applied, amendment_rejected on the timeline and an exception", async () => {
    const s = await setup();
    const payload = await placed(s, 1);
    const { order } = await onlyHubOrder(s, payload.id);
    await pick(s, order.id);
    await deliver(s, "orders/updated", later(payload, 5, { line_items: [{ ...payload.line_items[0], current_quantity: 4 }] }));

    const after = await onlyHubOrder(s, payload.id);
    expect(after.order.status).toBe("processing");
    expect(after.lines[0].quantity).toBe(1);
    expect(await timelineTypes(order.id)).toContain("amendment_rejected");
    const exceptions = await openExceptions(order.id);
    expect(exceptions.map((e) => e.kind)).toEqual(["amendment_rejected"]);
    expect(exceptions[0].message).toContain("processing");
    expect((await deliveriesOf(s))[1]).toMatchObject({ state: "processed", outcome: "amendment_rejected" });
  });

  it("for an order not seen yet, creates it from the update (Shopify does not promise order)", async () => {
    const s = await setup();
    const payload = shopifyOrder({ lines: [{ variant_id: s.red.variant, sku: s.red.sku, quantity: 2 }] });
    await deliver(s, "orders/updated", payload);
    await deliver(s, "orders/create", payload);
    const { order, lines } = await onlyHubOrder(s, payload.id);
    expect(order.status).toBe("received");
    expect(lines[0].quantity).toBe(2);
    expect((await deliveriesOf(s)).map((d) => d.outcome)).toEqual(["created_received", "duplicate"]);
  });
});

describe("orders/cancelled: the guide's state machine", () => {
  it("received (not yet at the warehouse) → cancelled, stock released", async () => {
    const s = await setup();
    const payload = await placed(s, 2);
    expect(await stockOf(s.tenant, "RED")).toMatchObject({ allocated: 2 });
    await deliver(s, "orders/cancelled", later(payload, 3, { cancelled_at: new Date().toISOString(), cancel_reason: "customer" }));
    const { order } = await onlyHubOrder(s, payload.id);
    expect(order.status).toBe("cancelled");
    expect(await stockOf(s.tenant, "RED")).toMatchObject({ allocated: 0 });
    expect(await timelineTypes(order.id)).toContain("cancelled");
  });

  it("on hold (unmapped SKU) → cancelled, its exception closed", async () => {
    const s = await setup();
    const payload = shopifyOrder({ lines: [{ variant_id: shopifyId(), sku: "NOT-MAPPED" }] });
    await deliver(s, "orders/create", payload);
    expect((await onlyHubOrder(s, payload.id)).order.status).toBe("on_hold");
    await deliver(s, "orders/cancelled", later(payload, 1, { cancelled_at: new Date().toISOString() }));
    const { order } = await onlyHubOrder(s, payload.id);
    expect(order.status).toBe("cancelled");
    expect(await openExceptions(order.id)).toEqual([]);
  });

  it("picking (processing) → NOT cancelled: cancellation_declined on the timeline and an exception for a human", async () => {
    const s = await setup();
    const payload = await placed(s, 1);
    const { order } = await onlyHubOrder(s, payload.id);
    await pick(s, order.id);
    await deliver(s, "orders/cancelled", later(payload, 3, { cancelled_at: new Date().toISOString() }));
    const after = await onlyHubOrder(s, payload.id);
    expect(after.order.status).toBe("processing");
    expect(await stockOf(s.tenant, "RED")).toMatchObject({ allocated: 1 });
    expect(await timelineTypes(order.id)).toContain("cancellation_declined");
    expect((await openExceptions(order.id)).map((e) => e.kind)).toEqual(["cancellation_declined"]);
  });

  it("shipped → return_expected on the timeline, order stays shipped", async () => {
    const s = await setup();
    const payload = await placed(s, 1);
    const { order } = await onlyHubOrder(s, payload.id);
    await ship(s, order.id);
    await deliver(s, "orders/cancelled", later(payload, 3, { cancelled_at: new Date().toISOString() }));
    expect((await onlyHubOrder(s, payload.id)).order.status).toBe("shipped");
    expect(await timelineTypes(order.id)).toContain("return_expected");
  });

  it("partially shipped → return_expected too", async () => {
    const s = await setup();
    const payload = await placed(s, 3);
    const { order } = await onlyHubOrder(s, payload.id);
    await ship(s, order.id, [{ sku: "RED", quantity: 1 }]);
    await deliver(s, "orders/cancelled", later(payload, 3, { cancelled_at: new Date().toISOString() }));
    expect((await onlyHubOrder(s, payload.id)).order.status).toBe("partially_shipped");
    expect(await timelineTypes(order.id)).toContain("return_expected");
  });

  it("a cancellation that overtakes its create waits for it, then cancels", async () => {
    const s = await setup();
    setEnvForTests({ SHOPIFY_INTAKE_RETRY_SCHEDULE_SECONDS: "0,0,0,0,0,0" });
    try {
      const payload = shopifyOrder({ lines: [{ variant_id: s.red.variant, sku: s.red.sku }] });
      await sendWebhook(s, "orders/cancelled", later(payload, 5, { cancelled_at: new Date().toISOString() }));
      await sendWebhook(s, "orders/create", payload);
      await drainShopifyInbox(getDb(), { accountId: s.tenant.accountId });
      expect((await onlyHubOrder(s, payload.id)).order.status).toBe("cancelled");
    } finally {
      setEnvForTests({ SHOPIFY_INTAKE_RETRY_SCHEDULE_SECONDS: "0,0" });
    }
  });
});

describe("products/update", () => {
  it("flags the mappings whose variant changed SKU, raises an exception, and leaves untouched ones alone", async () => {
    const s = await setup();
    await deliver(s, "products/update", {
      id: shopifyId(),
      title: "Tee",
      variants: [
        { id: s.red.variant, sku: "S-RED-2026", inventory_item_id: shopifyId() },
        { id: s.blue.variant, sku: s.blue.sku, inventory_item_id: shopifyId() },
      ],
    });
    const rows = await getDb()
      .select()
      .from(skuMappings)
      .where(eq(skuMappings.accountId, s.tenant.accountId));
    expect(Object.fromEntries(rows.map((r) => [r.channelSku, r.needsVerification]))).toEqual({ "S-RED": true, "S-BLUE": false });
    const [exception] = await getDb()
      .select()
      .from(operationalExceptions)
      .where(and(eq(operationalExceptions.accountId, s.tenant.accountId), eq(operationalExceptions.kind, "sku_needs_verification")));
    expect(exception.message).toContain("S-RED-2026");
    expect(exception.data?.action_href).toContain("needs_verification=1");
    expect((await deliveriesOf(s))[0]).toMatchObject({ state: "processed", outcome: "flagged_1_mappings" });
  });
});
