import { describe, expect, it } from "vitest";
import { createSku, createTenant } from "@/e2e/support/factories";
import { call } from "@/e2e/support/route-calls";
import { getDb } from "@/db/client";
import { loadOrder } from "@/lib/orders/present";
import { placeTestOrder } from "@/e2e/support/orders";
import * as inventory from "../inventory/route";
import * as shipmentList from "../shipments/route";
import * as shipmentOne from "../shipments/[id]/route";
import * as pick from "./orders/[id]/pick/route";
import * as ship from "./orders/[id]/ship/route";
import * as status from "./shipments/[id]/status/route";
import * as voidRoute from "./shipments/[id]/void/route";

type Shipment = { id: string; updated_at: string; status: string; voided: boolean; parcels: { tracking_number: string }[]; items: unknown[] };

/** A partner's poller: updated_since = newest updated_at seen, walking next_cursor until has_more is false. */
async function poll(key: string, since: string | undefined, extra = "") {
  const seen: Shipment[] = [];
  let cursor: string | null = null;
  do {
    const params = new URLSearchParams({ limit: "2" });
    if (since) params.set("updated_since", since);
    if (cursor) params.set("cursor", cursor);
    const res: Awaited<ReturnType<typeof call>> = await call(shipmentList.GET, `/v1/shipments?${params}${extra}`, { key });
    expect(res.status).toBe(200);
    seen.push(...res.body.data);
    cursor = res.body.pagination.next_cursor;
    expect(res.body.pagination.has_more).toBe(cursor !== null);
  } while (cursor);
  const newest = seen.reduce<string | undefined>((max, s) => (!max || s.updated_at > max ? s.updated_at : max), since);
  return { seen, newest };
}

describe("sandbox journey: order → pick → ship → poll → carrier statuses → void", () => {
  it("lets a partner create an order and poll its shipments back", async () => {
    const t = await createTenant();
    await createSku(t, "WIDGET-BLUE-M", { [t.warehouses.syd]: 20 });
    await createSku(t, "WIDGET-RED-S", { [t.warehouses.syd]: 5 });
    const order = await placeTestOrder(t, [
      { sku: "WIDGET-BLUE-M", quantity: 4 },
      { sku: "WIDGET-RED-S", quantity: 1 },
    ]);
    expect(order.status).toBe("received");
    const start = await poll(t.key, undefined);
    expect(start.seen).toEqual([]);

    const picked = await call(pick.POST, `/v1/sandbox/orders/${order.id}/pick`, { method: "POST", key: t.key, params: { id: order.id } });
    expect(picked.status).toBe(200);
    expect(picked.body).toMatchObject({ id: order.id, status: "processing" });
    expect(picked.headers.get("x-ratelimit-remaining")).not.toBeNull();

    // First box: two parcels, one shipment.
    const first = await call(ship.POST, `/v1/sandbox/orders/${order.id}/ship`, {
      key: t.key,
      params: { id: order.id },
      body: {
        items: [{ sku: "WIDGET-BLUE-M", quantity: 2 }],
        parcels: [{ tracking_number: "ABC123456789AU", weight: { value: 1.2, unit: "kg" } }, { tracking_number: "ABC123456790AU" }],
        cost: { amount: "12.40", currency: "AUD" },
      },
    });
    expect(first.status).toBe(201);
    expect(first.headers.get("location")).toBe(`/v1/shipments/${first.body.id}`);
    expect(first.body).toMatchObject({
      order_id: order.id,
      order_number: order.order_number,
      status: "shipped",
      voided: false,
      cost: { amount: "12.40", currency: "AUD" },
      items: [{ sku: "WIDGET-BLUE-M", quantity: 2 }],
    });
    expect(first.body.parcels.map((p: { tracking_number: string }) => p.tracking_number)).toEqual(["ABC123456789AU", "ABC123456790AU"]);

    expect((await loadOrder(getDb(), t.ctx, order.id)).status).toBe("partially_shipped");

    const afterFirst = await poll(t.key, start.newest);
    expect(afterFirst.seen.map((s) => s.id)).toEqual([first.body.id]);
    expect(afterFirst.seen[0]).toEqual(first.body);
    const got = await call(shipmentOne.GET, `/v1/shipments/${first.body.id}`, { key: t.key, params: { id: first.body.id } });
    expect(got.body).toEqual(first.body);

    // Stock: on_hand and allocated dropped by what shipped.
    const inv = await call(inventory.GET, `/v1/inventory?sku=WIDGET-BLUE-M`, { key: t.key });
    expect(inv.body.data[0].warehouses).toEqual([
      { warehouse_id: t.warehouses.syd, on_hand: 18, available: 16, allocated: 2, incoming: 0, backordered: 0 },
    ]);

    // The rest, with no body at all: default everything left, one parcel with a generated number.
    const rest = await call(ship.POST, `/v1/sandbox/orders/${order.id}/ship`, { method: "POST", key: t.key, params: { id: order.id } });
    expect(rest.status).toBe(201);
    expect(rest.body.items).toEqual([
      { sku: "WIDGET-BLUE-M", quantity: 2 },
      { sku: "WIDGET-RED-S", quantity: 1 },
    ]);
    expect(rest.body.parcels).toHaveLength(1);
    const shippedOrder = await loadOrder(getDb(), t.ctx, order.id);
    expect(shippedOrder.status).toBe("shipped");
    expect(shippedOrder.items.map((i) => i.quantity_shipped)).toEqual([4, 1]);
    expect(shippedOrder.shipments.map((s) => s.id)).toEqual([first.body.id, rest.body.id]);

    const afterRest = await poll(t.key, afterFirst.newest);
    // updated_since is inclusive: the boundary row may come again (at-least-once), the new one must be there.
    expect(afterRest.seen.map((s) => s.id)).toContain(rest.body.id);
    const invAfter = await call(inventory.GET, `/v1/inventory`, { key: t.key });
    const blue = invAfter.body.data.find((i: { sku: string }) => i.sku === "WIDGET-BLUE-M");
    expect(blue.warehouses[0]).toMatchObject({ on_hand: 16, allocated: 0, available: 16 });

    // Nothing left: 409 already_shipped.
    const again = await call(ship.POST, `/v1/sandbox/orders/${order.id}/ship`, { method: "POST", key: t.key, params: { id: order.id } });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: "already_shipped", order_status: "shipped" });

    // Carrier statuses, then a void; each one is a change the poller sees.
    for (const s of ["in_transit", "out_for_delivery", "delivered"]) {
      const res = await call(status.POST, `/v1/sandbox/shipments/${first.body.id}/status`, { key: t.key, params: { id: first.body.id }, body: { status: s } });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe(s);
    }
    const back = await call(status.POST, `/v1/sandbox/shipments/${first.body.id}/status`, { key: t.key, params: { id: first.body.id }, body: { status: "in_transit" } });
    expect(back.status).toBe(422);
    expect(back.body.error).toMatchObject({ code: "validation_error", field: "status", shipment_status: "delivered" });

    const voided = await call(voidRoute.POST, `/v1/sandbox/shipments/${rest.body.id}/void`, { method: "POST", key: t.key, params: { id: rest.body.id } });
    expect(voided.status).toBe(200);
    expect(voided.body).toMatchObject({ id: rest.body.id, voided: true, status: "voided" });
    const final = await poll(t.key, afterRest.newest);
    const latest = new Map(final.seen.map((s) => [s.id, s]));
    expect(latest.get(first.body.id)?.status).toBe("delivered");
    expect(latest.get(rest.body.id)).toMatchObject({ voided: true, status: "voided" });

    // order_id narrows the list; another tenant sees none of it.
    const byOrder = await call(shipmentList.GET, `/v1/shipments?order_id=${order.id}`, { key: t.key });
    expect(byOrder.body.data.map((s: Shipment) => s.id).sort()).toEqual([first.body.id, rest.body.id].sort());
    const stranger = await createTenant();
    expect((await call(shipmentList.GET, `/v1/shipments?order_id=${order.id}`, { key: stranger.key })).body.data).toEqual([]);
  });
});
