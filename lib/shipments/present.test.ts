import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { orderLines, shipmentItems, shipmentParcels, shipments } from "@/db/schema";
import { newId } from "@/lib/ids";
import { createOrder } from "@/lib/orders/create";
import { loadOrder } from "@/lib/orders/present";
import { orderBody } from "@/lib/orders/testing";
import { createSku, createTenant } from "@/lib/testing/factories";
import { formatAmount, loadShipmentsByIds, loadShipmentsForOrders } from "./present";

describe("formatAmount", () => {
  it.each([
    ["12.4000", "12.40"],
    ["12.4050", "12.405"],
    ["0.0000", "0.00"],
    ["7", "7.00"],
    ["-3.5000", "-3.50"],
    ["-0.0000", "0.00"],
    ["0012.10", "12.10"],
  ])("%s → %s", (stored, shown) => expect(formatAmount(stored)).toBe(shown));
});

describe("presentShipment", () => {
  it("presents the guide's shipment object: one parcel per tracking number, items, money as a decimal string", async () => {
    const t = await createTenant();
    await createSku(t, "WIDGET", { [t.warehouses.syd]: 5 });
    const { order } = await createOrder(getDb(), t.ctx, orderBody(t, { items: [{ sku: "WIDGET", quantity: 2 }] }));
    const [lineRow] = await getDb().select().from(orderLines).where(eq(orderLines.orderId, order.id));
    const id = newId("shp");
    await getDb()
      .insert(shipments)
      .values({ id, accountId: t.accountId, environment: t.environment, orderId: order.id, warehouseId: t.warehouses.syd, shippedAt: new Date("2026-07-02T22:04:11Z"), costAmount: "12.4", costCurrency: "AUD" });
    await getDb().insert(shipmentParcels).values([
      { id: newId("prc"), shipmentId: id, position: 1, trackingNumber: "ABC123456790AU", trackingUrl: null, carrier: "auspost", service: "Express Post" },
      {
        id: newId("prc"),
        shipmentId: id,
        position: 0,
        trackingNumber: "ABC123456789AU",
        trackingUrl: "https://auspost.com.au/track/ABC123456789AU",
        carrier: "auspost",
        service: "Express Post",
        weight: { value: 1.2, unit: "kg" },
        dimensions: { length: 30, width: 20, height: 10, unit: "cm" },
      },
    ]);
    await getDb().insert(shipmentItems).values({ id: newId("shi"), shipmentId: id, orderLineId: lineRow.id, sku: "WIDGET", quantity: 2 });

    const [shipment] = await loadShipmentsByIds(getDb(), [id, "shp_missing"]);
    expect(shipment).toEqual({
      id,
      order_id: order.id,
      order_number: order.order_number,
      status: "shipped",
      warehouse_id: t.warehouses.syd,
      shipped_at: "2026-07-02T22:04:11.000Z",
      created_at: expect.stringMatching(/Z$/),
      updated_at: expect.stringMatching(/Z$/),
      cost: { amount: "12.40", currency: "AUD" },
      voided: false,
      parcels: [
        {
          tracking_number: "ABC123456789AU",
          tracking_url: "https://auspost.com.au/track/ABC123456789AU",
          carrier: "auspost",
          service: "Express Post",
          weight: { value: 1.2, unit: "kg" },
          dimensions: { length: 30, width: 20, height: 10, unit: "cm" },
        },
        { tracking_number: "ABC123456790AU", tracking_url: null, carrier: "auspost", service: "Express Post" },
      ],
      items: [{ sku: "WIDGET", quantity: 2 }],
    });
    const byOrder = await loadShipmentsForOrders(getDb(), [order.id, "ord_none"]);
    expect(byOrder.get(order.id)).toEqual([shipment]);
    expect(byOrder.get("ord_none")).toEqual([]);
    expect((await loadOrder(getDb(), t, order.id)).shipments).toEqual([shipment]);
  });
});
