import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { createSku, createTenant, unique, type TestTenant } from "@/e2e/support/factories";
import { orderFootprint } from "@/e2e/support/footprints";
import { orderBody } from "@/e2e/support/orders";
import { call, expectError } from "@/e2e/support/route-calls";
import { createOrder } from "@/lib/orders/create";
import { GET as LIST } from "../route";
import { POST as CANCEL } from "./cancel/route";
import { GET as EVENTS } from "./events/route";
import { POST as NOTE } from "./notes/route";
import { GET, PATCH } from "./route";

async function ownerAndOrder() {
  const name = unique("owner");
  const owner = await createTenant({ name });
  await createSku(owner, "WIDGET", { [owner.warehouses.syd]: 5 });
  const { order } = await createOrder(getDb(), owner.ctx, orderBody(owner, { items: [{ sku: "WIDGET", quantity: 1 }] }));
  return { owner, name, order };
}

async function expectInvisible(stranger: TestTenant, owner: TestTenant, id: string) {
  const before = await orderFootprint(owner);
  const params = { id };
  expectError(await call(GET, `/v1/orders/${id}`, { key: stranger.key, params }), 404, "not_found");
  expectError(await call(PATCH, `/v1/orders/${id}`, { method: "PATCH", key: stranger.key, params, body: { packing_note: "mine now" } }), 404, "not_found");
  expectError(await call(CANCEL, `/v1/orders/${id}/cancel`, { key: stranger.key, params }), 404, "not_found");
  expectError(await call(EVENTS, `/v1/orders/${id}/events`, { key: stranger.key, params }), 404, "not_found");
  expectError(await call(NOTE, `/v1/orders/${id}/notes`, { key: stranger.key, params, body: { message: "hello" } }), 404, "not_found");
  const list = await call(LIST, `/v1/orders?limit=200`, { key: stranger.key });
  expect(list.body.data.map((o: { id: string }) => o.id)).not.toContain(id);
  expect(await orderFootprint(owner)).toEqual(before);
}

describe("orders are visible only to their account and environment", () => {
  it("another account's order id is 404 everywhere and never listed", async () => {
    const { owner, order } = await ownerAndOrder();
    const stranger = await createTenant();
    await expectInvisible(stranger, owner, order.id);
  });

  it("the same account's order id is 404 with a key of the other environment", async () => {
    const { owner, name, order } = await ownerAndOrder();
    const live = await createTenant({ name, environment: "live" });
    expect(live.accountId).toBe(owner.accountId);
    await expectInvisible(live, owner, order.id);
  });

  it("an order reference may repeat across environments of one account", async () => {
    const { owner, name, order } = await ownerAndOrder();
    const live = await createTenant({ name, environment: "live" });
    await createSku(live, "WIDGET", { [live.warehouses.syd]: 5 });
    const mirrored = await createOrder(getDb(), live.ctx, orderBody(live, { reference: order.reference, items: [{ sku: "WIDGET", quantity: 1 }] }));
    expect(mirrored.created).toBe(true);
    expect(mirrored.order.id).not.toBe(order.id);
    expect(owner.environment).toBe("sandbox");
  });
});
