import { getDb } from "@/db/client";
import { inTransaction } from "@/db/transaction";
import { createOrder } from "@/lib/orders/create";
import type { CreateOrderInput, OrderObject } from "@/lib/orders/schema";
import { createShipment } from "@/lib/shipments/ship";
import { unique, type TestTenant } from "./factories";

/** Orders made the one real way (createOrder, as a partner's API call), in the state a test starts from. */

/** A valid POST /v1/orders body of the tenant (its Sydney warehouse and express method), with overrides. */
export function orderBody(t: TestTenant, overrides: Partial<CreateOrderInput> = {}): CreateOrderInput {
  return {
    order_number: unique("SO"),
    reference: unique("REF"),
    warehouse_id: t.warehouses.syd,
    shipping_method_id: t.shippingMethods.express,
    ship_to: { name: "Jane Doe", address1: "1 Main St", city: "Sydney", state: "NSW", postcode: "2000", country: "AU" },
    items: [{ sku: "WIDGET", quantity: 2, unit_price: "19.99", currency: "AUD" }],
    ...overrides,
  };
}

/** An order of these items placed through the API's domain function, routed to `warehouseId` (Sydney by default). */
export async function placeTestOrder(t: TestTenant, items: { sku: string; quantity: number }[], warehouseId = t.warehouses.syd): Promise<OrderObject> {
  const { order } = await createOrder(getDb(), { ...t.ctx, source: "api" }, orderBody(t, { warehouse_id: warehouseId, items }));
  return order;
}

/** An order whose every unit shipped in one parcel. */
export async function shippedTestOrder(t: TestTenant, items: { sku: string; quantity: number }[]) {
  const order = await placeTestOrder(t, items);
  const { shipment } = await inTransaction(getDb(), (tx) => createShipment(tx, t.ctx, { orderId: order.id }));
  return { order, shipment };
}
