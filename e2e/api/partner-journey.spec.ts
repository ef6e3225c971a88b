import { expect, test } from "@playwright/test";
import { issueKey, uniqueName } from "../support/cli";
import { eventually, expectStatus, Partner, type Json } from "../support/partner-api";

type Row = Record<string, unknown>;
type Page = { data: Row[]; pagination: { next_cursor: string | null; has_more: boolean } };

/** Walks every page of a changes list from updated_since, as the spec tells partners to poll. */
async function pollAll(partner: Partner, path: string, updatedSince: string): Promise<{ rows: Row[]; pages: number }> {
  const rows: Row[] = [];
  let cursor: string | null = null;
  for (let pages = 1; pages <= 50; pages++) {
    const query = new URLSearchParams({ updated_since: updatedSince, limit: "1" });
    if (cursor) query.set("cursor", cursor);
    const page = (await expectStatus(await partner.get(`${path}?${query}`), 200)) as unknown as Page;
    rows.push(...page.data);
    expect(page.pagination.has_more).toBe(page.pagination.next_cursor !== null);
    if (!page.pagination.has_more) return { rows, pages };
    cursor = page.pagination.next_cursor;
  }
  throw new Error(`${path} did not end within 50 pages`);
}

function stockAt(inventory: Json, warehouseId: string): Row {
  const [item] = inventory.data as Row[];
  const level = (item.warehouses as Row[]).find((w) => w.warehouse_id === warehouseId);
  if (!level) throw new Error(`no stock row at ${warehouseId}: ${JSON.stringify(item)}`);
  return level;
}

test("a partner creates an order, sees stock reserved, the sandbox ships it in two parcels, and polling brings both back", async ({ request }) => {
  const partner = new Partner(request, await issueKey({ account: uniqueName("partner"), env: "sandbox" }));
  const mug = uniqueName("MUG").toUpperCase();
  const cap = uniqueName("CAP").toUpperCase();

  const { warehouseId, methodId } = await test.step("reference data", async () => {
    const warehouses = (await expectStatus(await partner.get("/v1/warehouses"), 200)).data as Row[];
    const methods = (await expectStatus(await partner.get("/v1/shipping-methods"), 200)).data as Row[];
    expect(warehouses.length).toBeGreaterThan(0);
    expect(methods.length).toBeGreaterThan(0);
    const syd = warehouses.find((w) => w.code === "SYD") ?? warehouses[0];
    return { warehouseId: syd.id as string, methodId: methods[0].id as string };
  });

  await test.step("stock: the sandbox counts 10 mugs and 4 caps", async () => {
    for (const [sku, onHand] of [
      [mug, 10],
      [cap, 4],
    ] as const) {
      const response = await partner.post("/v1/sandbox/inventory", { sku, warehouse_id: warehouseId, on_hand: onHand });
      expect(response.status(), await response.text()).toBeLessThan(300);
    }
  });

  const order = await test.step("create the order", async () => {
    const reference = uniqueName("ref");
    const response = await partner.post(
      "/v1/orders",
      {
        order_number: `SO-${reference}`,
        reference,
        warehouse_id: warehouseId,
        shipping_method_id: methodId,
        ship_to: { name: "Jane Doe", address1: "123 Main St", city: "Sydney", state: "NSW", postcode: "2000", country: "AU", email: "jane@example.test" },
        items: [
          { sku: mug, quantity: 3, unit_price: "19.99", currency: "AUD" },
          { sku: cap, quantity: 1, unit_price: "9.50", currency: "AUD" },
        ],
        packing_note: "Leave in porch",
      },
      { "Idempotency-Key": reference },
    );
    const body = await expectStatus(response, 201);
    expect(body.id).toMatch(/^ord_/);
    expect(response.headers()["location"]).toBe(`/v1/orders/${body.id}`);
    expect(response.headers()["x-request-id"]).toBeTruthy();
    expect(body).toMatchObject({ reference, status: "received", warehouse_id: warehouseId, channel: "api", shipments: [] });
    expect(body.items).toEqual([
      expect.objectContaining({ sku: mug, quantity: 3, quantity_shipped: 0, unit_price: "19.99", currency: "AUD" }),
      expect.objectContaining({ sku: cap, quantity: 1, quantity_shipped: 0 }),
    ]);
    return body;
  });

  await test.step("the stock is reserved", async () => {
    const level = stockAt(await expectStatus(await partner.get(`/v1/inventory?sku=${mug}`), 200), warehouseId);
    expect(level).toMatchObject({ on_hand: 10, allocated: 3, available: 7 });
  });

  await test.step("the sandbox picks", async () => {
    const picked = await expectStatus(await partner.post(`/v1/sandbox/orders/${order.id}/pick`), 200);
    expect(picked.status).toBe("processing");
  });

  const trackingNumbers = [`E2E${Date.now()}A`, `E2E${Date.now()}B`];
  const shipment = await test.step("the sandbox ships everything in two parcels", async () => {
    const response = await partner.post(`/v1/sandbox/orders/${order.id}/ship`, {
      parcels: [
        { tracking_number: trackingNumbers[0], weight: { value: 1.2, unit: "kg" } },
        { tracking_number: trackingNumbers[1], weight: { value: 0.4, unit: "kg" } },
      ],
      cost: { amount: "12.40", currency: "AUD" },
    });
    const body = await expectStatus(response, 201);
    expect(body.id).toMatch(/^shp_/);
    expect((body.parcels as Row[]).map((p) => p.tracking_number)).toEqual(trackingNumbers);
    return body;
  });

  const second = await test.step("a second order ships too (default: one parcel)", async () => {
    const reference = uniqueName("ref");
    const created = await expectStatus(
      await partner.post("/v1/orders", {
        order_number: `SO-${reference}`,
        reference,
        warehouse_id: warehouseId,
        shipping_method_id: methodId,
        ship_to: { name: "John Roe", address1: "9 Dock St", city: "Melbourne", state: "VIC", postcode: "3000", country: "AU" },
        items: [{ sku: cap, quantity: 2 }],
      }),
      201,
    );
    await expectStatus(await partner.post(`/v1/sandbox/orders/${created.id}/pick`), 200);
    const shipped = await expectStatus(await partner.post(`/v1/sandbox/orders/${created.id}/ship`), 201);
    expect(shipped.parcels).toHaveLength(1);
    return shipped;
  });

  await test.step("polling shipments from before the order, page by page, finds the shipment with both parcels", async () => {
    const found = await eventually(async () => {
      const { rows, pages } = await pollAll(partner, "/v1/shipments", order.created_at as string);
      const ids = rows.map((s) => s.id);
      if (!ids.includes(shipment.id) || !ids.includes(second.id)) return undefined;
      expect(pages).toBeGreaterThanOrEqual(2);
      return rows.find((s) => s.id === shipment.id);
    }, "both shipments in GET /v1/shipments");
    expect(found).toMatchObject({ order_id: order.id, order_number: order.order_number, status: "shipped", voided: false, warehouse_id: warehouseId });
    expect((found.parcels as Row[]).map((p) => p.tracking_number)).toEqual(trackingNumbers);
    for (const parcel of found.parcels as Row[]) expect(parcel.tracking_url).toContain(parcel.tracking_number as string);
    expect(found.items).toEqual(expect.arrayContaining([{ sku: mug, quantity: 3 }, { sku: cap, quantity: 1 }]));
  });

  await test.step("the order reads shipped, with its shipment", async () => {
    const response = await partner.get(`/v1/orders/${order.id}`);
    const body = await expectStatus(response, 200);
    expect(body.status).toBe("shipped");
    expect(response.headers()["etag"]).toBe(`"${body.version}"`);
    const shipments = body.shipments as Row[];
    expect(shipments).toHaveLength(1);
    expect(shipments[0].id).toBe(shipment.id);
    expect((shipments[0].parcels as Row[]).map((p) => p.tracking_number)).toEqual(trackingNumbers);
    expect(body.items).toEqual([expect.objectContaining({ sku: mug, quantity_shipped: 3 }), expect.objectContaining({ sku: cap, quantity_shipped: 1 })]);
  });

  await test.step("shipped units left on_hand and the reservation", async () => {
    const level = stockAt(await expectStatus(await partner.get(`/v1/inventory?sku=${mug}`), 200), warehouseId);
    expect(level).toMatchObject({ on_hand: 7, allocated: 0, available: 7 });
  });

  await test.step("the timeline tells the story in order", async () => {
    const events = (await expectStatus(await partner.get(`/v1/orders/${order.id}/events`), 200)).data as Row[];
    const statuses = events.map((e) => e.status).filter(Boolean);
    expect(statuses).toEqual(expect.arrayContaining(["received", "processing", "shipped"]));
    expect(statuses.indexOf("received")).toBeLessThan(statuses.lastIndexOf("shipped"));
  });
});
