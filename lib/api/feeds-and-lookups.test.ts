import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { inTransaction } from "@/db/transaction";
import { createShipment } from "@/lib/shipments/ship";
import { placeTestOrder } from "@/e2e/support/orders";
import { createSku, createTenant, sandboxCtx, type TestTenant } from "@/e2e/support/factories";
import { needsPostgres, onPostgres } from "@/e2e/support/vitest-env";
import { holdTransactionOpen } from "@/e2e/support/horizon";
import { call, type RouteHandler } from "@/e2e/support/route-calls";
import * as inventoryRoute from "@/app/v1/inventory/route";
import * as ordersRoute from "@/app/v1/orders/route";
import * as shipmentsRoute from "@/app/v1/shipments/route";
import { listRead } from "./pagination";

describe("feeds and lookups", () => {
  it("a read that names one thing without updated_since is a lookup; updated_since, or no such filter, makes a feed", () => {
    const read = (query: string) => listRead(new URLSearchParams(query));
    for (const lookup of ["sku=BLUE", "reference=R-1", "order_number=SO-1", "order_id=ord_1", "rma=RMA-1", "order_id=ord_1&cursor=abc&limit=1", "sku=BLUE&warehouse_id=wh_1"]) {
      expect(read(lookup), lookup).toBe("lookup");
    }
    for (const feed of ["", "limit=10", "cursor=abc", "updated_since=2026-01-01T00:00:00Z", "sku=BLUE&updated_since=2026-01-01T00:00:00Z", "status=shipped", "warehouse_id=wh_1", "sku="]) {
      expect(read(feed), feed).toBe("feed");
    }
  });
});

type Listed = { data: { id?: string; sku?: string }[]; pagination: { next_cursor: string | null; has_more: boolean } };

/** A GET past the transaction the test holds open on purpose (settling would wait for it). */
async function list(handler: RouteHandler, t: TestTenant, path: string): Promise<Listed> {
  const res = await call(handler, path, { key: t.key, settle: false });
  expect(res.status, path).toBe(200);
  return res.body;
}

describe.skipIf(!onPostgres)(`feeds and lookups while an unrelated transaction is open (${needsPostgres})`, () => {
  it("a lookup by SKU, reference, order number or order shows what is committed; feeds still hold it back", async () => {
    const t = await createTenant();
    const since = encodeURIComponent(new Date(Date.now() - 60_000).toISOString());
    // Another session's transaction, touching nothing of this tenant, begins before the writes below.
    const unrelated = await holdTransactionOpen<{ one: number }>(sql`select 1 as one`);
    try {
      await createSku(t, "BLUE", { [t.warehouses.syd]: 10 });
      const order = await placeTestOrder(t, [{ sku: "BLUE", quantity: 2 }]);
      const ship = () => inTransaction(getDb(), (tx) => createShipment(tx, sandboxCtx(t), { orderId: order.id, items: [{ sku: "BLUE", quantity: 1 }] }));
      const shipmentIds = [(await ship()).shipment.id, (await ship()).shipment.id];

      expect((await list(inventoryRoute.GET, t, "/v1/inventory?sku=BLUE")).data.map((i) => i.sku)).toEqual(["BLUE"]);
      expect((await list(ordersRoute.GET, t, `/v1/orders?reference=${encodeURIComponent(order.reference)}`)).data.map((o) => o.id)).toEqual([order.id]);
      expect((await list(ordersRoute.GET, t, `/v1/orders?order_number=${encodeURIComponent(order.order_number)}`)).data.map((o) => o.id)).toEqual([order.id]);
      // A paged lookup stays one: its cursor pages are not cut short at the horizon either.
      const first = await list(shipmentsRoute.GET, t, `/v1/shipments?order_id=${order.id}&limit=1`);
      expect(first.pagination.has_more).toBe(true);
      const second = await list(shipmentsRoute.GET, t, `/v1/shipments?order_id=${order.id}&limit=1&cursor=${first.pagination.next_cursor}`);
      expect([...first.data, ...second.data].map((s) => s.id).sort()).toEqual([...shipmentIds].sort());
      expect(second.pagination).toEqual({ next_cursor: null, has_more: false });

      // Feeds: the rows were stamped after the open transaction began, so a poller may not pass them yet.
      expect((await list(inventoryRoute.GET, t, "/v1/inventory")).data).toEqual([]);
      expect((await list(inventoryRoute.GET, t, `/v1/inventory?sku=BLUE&updated_since=${since}`)).data).toEqual([]);
      expect((await list(ordersRoute.GET, t, `/v1/orders?updated_since=${since}`)).data).toEqual([]);
      expect((await list(shipmentsRoute.GET, t, `/v1/shipments?order_id=${order.id}&updated_since=${since}`)).data).toEqual([]);
    } finally {
      await unrelated.close();
    }
  });
});
