import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { inTransaction } from "@/db/transaction";
import { createSku, createTenant, unique, type TestTenant } from "@/e2e/support/factories";
import { getOrderDetail } from "@/lib/dashboard/order-detail";
import { listAccounts, searchOrders } from "@/lib/dashboard/search";
import { createOrder } from "@/lib/orders/create";
import { createShipment } from "@/lib/shipments/ship";
import { updateShipmentStatus } from "@/lib/shipments/status";

async function order(t: TestTenant, number: string, reference: string, sku = "BLUE") {
  const { order } = await createOrder(
    getDb(),
    { ...t.ctx, source: "api" },
    {
      order_number: number,
      reference,
      warehouse_id: t.warehouses.syd,
      shipping_method_id: t.shippingMethods.express,
      ship_to: { name: "Jane Doe", address1: "123 Main St", city: "Sydney", state: "NSW", postcode: "2000", country: "AU" },
      items: [{ sku, quantity: 2 }],
    },
  );
  return order;
}

async function ship(t: TestTenant, orderId: string, trackingNumbers: string[]) {
  return inTransaction(getDb(), (tx) =>
    createShipment(tx, { ...t.ctx, source: "wms", actor: "wms" }, { orderId, parcels: trackingNumbers.map((trackingNumber) => ({ trackingNumber })) }),
  );
}

/** Unique per run (the PostgreSQL test database is shared by every test file). */
function tag() {
  return unique("Q").replace(/[^A-Za-z0-9]/g, "").toUpperCase();
}

describe("searchOrders", () => {
  it("finds an order by order-number prefix, case-insensitively, with its account and environment", async () => {
    const t = await createTenant({ name: unique("Search Merchant") });
    await createSku(t, "BLUE", { [t.warehouses.syd]: 20 });
    const q = tag();
    const a = await order(t, `${q}-100`, `REF-${q}-A`);
    const b = await order(t, `${q}-101`, `REF-${q}-B`);

    const result = await searchOrders(getDb(), { q: `${q.toLowerCase()}-10` });
    expect(result.matchedBy).toBe("exact_or_prefix");
    expect(result.rows.map((r) => r.id).sort()).toEqual([a.id, b.id].sort());
    const [accountName] = (await listAccounts(getDb())).filter((x) => x.id === t.accountId).map((x) => x.name);
    expect(result.rows[0]).toMatchObject({ accountId: t.accountId, accountName, environment: "sandbox", status: "received", shipToCity: "Sydney" });
  });

  it("finds by reference prefix, by order id and by shipment id exactly", async () => {
    const t = await createTenant();
    await createSku(t, "BLUE", { [t.warehouses.syd]: 20 });
    const q = tag();
    const a = await order(t, `N-${q}`, `${q}-REF-1`);
    const { shipment } = await ship(t, a.id, [`TRK${q}1`]);

    expect((await searchOrders(getDb(), { q: `${q}-REF` })).rows.map((r) => r.id)).toEqual([a.id]);
    expect((await searchOrders(getDb(), { q: a.id })).rows.map((r) => r.id)).toEqual([a.id]);
    expect((await searchOrders(getDb(), { q: shipment.id })).rows.map((r) => r.id)).toEqual([a.id]);
    // An id matches only whole: a fragment of it finds nothing by id.
    expect((await searchOrders(getDb(), { q: a.id.slice(0, -3) })).rows.map((r) => r.id)).not.toContain(a.id);
  });

  it("finds the order of a tracking number, exactly, whichever parcel it is", async () => {
    const t = await createTenant();
    await createSku(t, "BLUE", { [t.warehouses.syd]: 20 });
    const q = tag();
    const a = await order(t, `N-${q}`, `R-${q}`);
    await ship(t, a.id, [`TRK${q}A`, `TRK${q}B`]);

    const second = await searchOrders(getDb(), { q: `TRK${q}B` });
    expect(second.rows.map((r) => r.id)).toEqual([a.id]);
    expect((await searchOrders(getDb(), { q: `TRK${q}` })).rows).toEqual([]);
  });

  it("falls back to 'contains' only when nothing matches exactly or by prefix", async () => {
    const t = await createTenant();
    await createSku(t, "BLUE", { [t.warehouses.syd]: 20 });
    const q = tag();
    const a = await order(t, `SO-${q}-77`, `PO-${q}-X`);
    const result = await searchOrders(getDb(), { q: `${q}-77` });
    expect(result).toMatchObject({ matchedBy: "contains" });
    expect(result.rows.map((r) => r.id)).toEqual([a.id]);
    expect(await searchOrders(getDb(), { q: `${q}-NOTHING` })).toEqual({ rows: [], matchedBy: "none" });
    // LIKE wildcards in the query are literal characters, not patterns.
    expect((await searchOrders(getDb(), { q: `SO-${q}_%` })).rows).toEqual([]);
  });

  it("narrows by account, environment and status, and lists recent orders newest first without a query", async () => {
    const sandbox = await createTenant();
    const live = await createTenant({ environment: "live" });
    await createSku(sandbox, "BLUE", { [sandbox.warehouses.syd]: 20 });
    await createSku(live, "BLUE", { [live.warehouses.syd]: 20 });
    const q = tag();
    const s1 = await order(sandbox, `${q}-1`, `${q}-S1`);
    const s2 = await order(sandbox, `${q}-2`, `${q}-S2`);
    const l1 = await order(live, `${q}-3`, `${q}-L1`);

    expect((await searchOrders(getDb(), { q, environment: "live" })).rows.map((r) => r.id)).toEqual([l1.id]);
    expect((await searchOrders(getDb(), { q, accountId: sandbox.accountId })).rows.map((r) => r.id).sort()).toEqual([s1.id, s2.id].sort());
    expect((await searchOrders(getDb(), { q, status: "shipped" })).rows).toEqual([]);

    const recent = await searchOrders(getDb(), { accountId: sandbox.accountId });
    expect(recent.matchedBy).toBe("recent");
    expect(recent.rows.map((r) => r.id)).toEqual([s2.id, s1.id]);
    expect(recent.rows.every((r) => r.environment === "sandbox")).toBe(true);
  });
});

describe("getOrderDetail", () => {
  it("shows items ordered/allocated/shipped, parcels with tracking links, the timeline and a plain-words status", async () => {
    const t = await createTenant();
    await createSku(t, "BLUE", { [t.warehouses.syd]: 20 });
    await createSku(t, "RED", { [t.warehouses.syd]: 20 });
    const { order: o } = await createOrder(
      getDb(),
      { ...t.ctx, source: "api" },
      {
        order_number: unique("SO"),
        reference: unique("R"),
        warehouse_id: t.warehouses.syd,
        shipping_method_id: t.shippingMethods.express,
        ship_to: { name: "Jane Doe", address1: "123 Main St", city: "Sydney", state: "NSW", postcode: "2000", country: "AU" },
        items: [
          { sku: "BLUE", quantity: 2 },
          { sku: "RED", quantity: 1 },
        ],
      },
    );
    const shippedAt = new Date("2026-07-02T01:00:00Z");
    const wms = { ...t.ctx, source: "wms" as const, actor: "wms" };
    const first = await inTransaction(getDb(), (tx) => createShipment(tx, wms, { orderId: o.id, items: [{ sku: "BLUE", quantity: 2 }], parcels: [{ trackingNumber: unique("T1") }], shippedAt }));
    await inTransaction(getDb(), (tx) => createShipment(tx, wms, { orderId: o.id, items: [{ sku: "RED", quantity: 1 }], parcels: [{ trackingNumber: unique("T2") }], shippedAt }));
    await inTransaction(getDb(), (tx) =>
      updateShipmentStatus(tx, { ...t.ctx, source: "carrier", actor: "auspost" }, { shipmentId: first.shipment.id, status: "delivered", occurredAt: new Date("2026-07-03T02:00:00Z"), rawStatus: "DELIVERED" }),
    );

    const detail = await getOrderDetail(getDb(), o.id);
    expect(detail).not.toBeNull();
    expect(detail!.status).toBe("shipped");
    expect(detail!.items).toEqual([
      expect.objectContaining({ sku: "BLUE", quantity: 2, shipped: 2 }),
      expect.objectContaining({ sku: "RED", quantity: 1, shipped: 1 }),
    ]);
    expect(detail!.shipments).toHaveLength(2);
    const parcel = detail!.shipments[0].parcels[0];
    expect(parcel.tracking_url).toBe(`https://auspost.com.au/mypost/track/details/${parcel.tracking_number}`);
    expect(detail!.plainStatus).toMatch(/^Shipped in 2 parcels on 2 July; one delivered, one awaiting the carrier's first scan\.$/);
    const delivered = detail!.timeline.find((e) => e.rawStatus === "DELIVERED");
    expect(delivered).toMatchObject({ source: "carrier", status: "delivered", actor: "auspost", stale: false });
    // Newest first.
    const times = detail!.timeline.map((e) => e.occurredAt);
    expect([...times].sort().reverse()).toEqual(times);

    expect(await getOrderDetail(getDb(), "ord_does_not_exist")).toBeNull();
  });
});
