import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, queryRows } from "@/db/client";
import { orderLines, shipmentItems, shipmentParcels, shipments, type NewShipmentParcel } from "@/db/schema";
import { createSku, createTenant, type TestTenant } from "@/e2e/support/factories";
import { settleHorizon } from "@/e2e/support/horizon";
import { orderBody } from "@/e2e/support/orders";
import { onPostgres } from "@/e2e/support/vitest-env";
import { newId } from "@/lib/ids";
import { createOrder } from "@/lib/orders/create";
import { loadOrder } from "@/lib/orders/present";
import type { OrderObject } from "@/lib/orders/schema";
import { getShipment, listShipments } from "./list";
import { amountText, formatAmount, loadShipmentsByIds, loadShipmentsForOrders } from "./present";
import { shipmentObjectSchema } from "./schema";

const amounts: [string, string][] = [
  ["12.4000", "12.40"],
  ["12.4050", "12.405"],
  ["0.1250", "0.125"],
  ["100.0000", "100.00"],
  ["0.0000", "0.00"],
  ["7", "7.00"],
  ["-3.5000", "-3.50"],
  ["-0.0000", "0.00"],
  ["0012.10", "12.10"],
];

describe("formatAmount", () => {
  it.each(amounts)("%s → %s", (stored, shown) => expect(formatAmount(stored)).toBe(shown));

  it("is the rule PostgreSQL applies to the amounts it renders (shipment costs)", async () => {
    const values = sql.join(
      amounts.map(([stored]) => sql`(${stored}::numeric(14, 4))`),
      sql`, `,
    );
    const rows = await queryRows<{ stored: string; shown: string }>(
      getDb(),
      sql`select v.stored::text as stored, ${amountText(sql`v.stored`)} as shown from (values ${values}) as v(stored)`,
    );
    expect(rows.map((r) => r.shown)).toEqual(rows.map((r) => formatAmount(r.stored)));
    expect(rows.map((r) => r.shown)).toEqual(amounts.map(([, shown]) => shown));
  });
});

const kg = { value: 1.2, unit: "kg" };
const box = { length: 30, width: 20, height: 10, unit: "cm" };

type ParcelInput = Omit<NewShipmentParcel, "id" | "shipmentId">;

async function orderWithLines(t: TestTenant): Promise<{ order: OrderObject; lineIds: string[] }> {
  await createSku(t, "WIDGET", { [t.warehouses.syd]: 50 });
  await createSku(t, "GADGET", { [t.warehouses.syd]: 50 });
  const { order } = await createOrder(
    getDb(),
    t.ctx,
    orderBody(t, {
      items: [
        { sku: "WIDGET", quantity: 2 },
        { sku: "GADGET", quantity: 3 },
      ],
    }),
  );
  const lines = await getDb().select().from(orderLines).where(eq(orderLines.orderId, order.id)).orderBy(orderLines.position);
  return { order, lineIds: lines.map((l) => l.id) };
}

/** A shipment row written directly, so that every stored shape the presenter must handle can be set up. */
async function storeShipment(
  t: TestTenant,
  orderId: string,
  fields: { costAmount?: string | null; costCurrency?: string | null; voided?: boolean; shippedAt?: string },
  parcels: ParcelInput[],
  items: { orderLineId: string; sku: string; quantity: number }[],
): Promise<string> {
  const id = newId("shp");
  await getDb()
    .insert(shipments)
    .values({
      id,
      accountId: t.accountId,
      environment: t.environment,
      orderId,
      warehouseId: t.warehouses.syd,
      status: fields.voided ? "voided" : "in_transit",
      voided: fields.voided ?? false,
      shippedAt: new Date("2026-07-02T22:04:11Z"),
      costAmount: fields.costAmount ?? null,
      costCurrency: fields.costCurrency ?? null,
    });
  // Microseconds a JS Date cannot hold: the API shows them truncated to milliseconds, as toISOString would.
  if (fields.shippedAt) await getDb().update(shipments).set({ shippedAt: sql`${fields.shippedAt}::timestamptz` }).where(eq(shipments.id, id));
  for (const parcel of parcels) await getDb().insert(shipmentParcels).values({ id: newId("prc"), shipmentId: id, ...parcel });
  for (const item of items) await getDb().insert(shipmentItems).values({ id: newId("shi"), shipmentId: id, ...item });
  return id;
}

const parcel = (position: number, tracking: string, extra: Partial<ParcelInput> = {}): ParcelInput => ({
  position,
  trackingNumber: tracking,
  trackingUrl: `https://track.example/${tracking}`,
  carrier: "auspost",
  service: "Express Post",
  ...extra,
});

describe("the shipment object", () => {
  it("renders every stored shape as the contract says: key order, money, optional parcel keys, box and item order", async () => {
    const t = await createTenant();
    const { order, lineIds } = await orderWithLines(t);
    const [widgetLine, gadgetLine] = lineIds;
    // Parcels are inserted out of box order; one of each combination of weight and dimensions.
    const full = await storeShipment(
      t,
      order.id,
      { costAmount: "12.4000", costCurrency: "AUD", shippedAt: "2026-07-02T22:04:11.123987Z" },
      [
        parcel(3, "P3", { trackingUrl: null, carrier: null, service: null }),
        parcel(1, "P1", { weight: kg }),
        parcel(0, "P0", { weight: kg, dimensions: box }),
        parcel(2, "P2", { dimensions: box }),
      ],
      [
        { orderLineId: widgetLine, sku: "WIDGET", quantity: 2 },
        { orderLineId: gadgetLine, sku: "GADGET", quantity: 1 },
        { orderLineId: gadgetLine, sku: "GADGET", quantity: 2 },
      ],
    );
    const eighth = await storeShipment(t, order.id, { costAmount: "0.1250", costCurrency: "USD" }, [parcel(0, "E0")], []);
    const hundred = await storeShipment(t, order.id, { costAmount: "100.0000", costCurrency: "NZD" }, [], [{ orderLineId: widgetLine, sku: "WIDGET", quantity: 1 }]);
    const voided = await storeShipment(t, order.id, { voided: true }, [parcel(0, "V0")], []);
    const noCurrency = await storeShipment(t, order.id, { costAmount: "5.0000", costCurrency: "" }, [], []);

    const [shipment, ...others] = await loadShipmentsByIds(getDb(), [full, "shp_missing", eighth, hundred, voided, noCurrency]);
    const expected = {
      id: full,
      order_id: order.id,
      order_number: order.order_number,
      status: "in_transit",
      warehouse_id: t.warehouses.syd,
      shipped_at: "2026-07-02T22:04:11.123Z",
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      updated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      cost: { amount: "12.40", currency: "AUD" },
      voided: false,
      parcels: [
        { tracking_number: "P0", tracking_url: "https://track.example/P0", carrier: "auspost", service: "Express Post", weight: kg, dimensions: box },
        { tracking_number: "P1", tracking_url: "https://track.example/P1", carrier: "auspost", service: "Express Post", weight: kg },
        { tracking_number: "P2", tracking_url: "https://track.example/P2", carrier: "auspost", service: "Express Post", dimensions: box },
        { tracking_number: "P3", tracking_url: null, carrier: null, service: null },
      ],
      items: [
        { sku: "WIDGET", quantity: 2 },
        { sku: "GADGET", quantity: 1 },
        { sku: "GADGET", quantity: 2 },
      ],
    };
    expect(shipment).toEqual(expected);
    // toEqual ignores key order; the contract's order is checked on the keys themselves.
    expect(Object.keys(shipment)).toEqual(Object.keys(expected));
    expect(shipment.parcels.map((p) => Object.keys(p))).toEqual(expected.parcels.map((p) => Object.keys(p)));
    expect(Object.keys(shipment.cost ?? {})).toEqual(["amount", "currency"]);

    expect(others.map((s) => [s.id, s.cost, s.voided, s.status, s.parcels.length, s.items])).toEqual([
      [eighth, { amount: "0.125", currency: "USD" }, false, "in_transit", 1, []],
      [hundred, { amount: "100.00", currency: "NZD" }, false, "in_transit", 0, [{ sku: "WIDGET", quantity: 1 }]],
      [voided, null, true, "voided", 1, []],
      [noCurrency, null, false, "in_transit", 0, []],
    ]);
    // PostgreSQL renders the object, so its type is only asserted: every shape must be what the OpenAPI document
    // describes, with no key missing, mistyped or extra (parsing drops unknown keys).
    for (const rendered of [shipment, ...others]) expect(shipmentObjectSchema.parse(rendered)).toEqual(rendered);
  });

  it("is the same object from the list, the single shipment, the order's shipments and the order", async () => {
    const t = await createTenant();
    const { order, lineIds } = await orderWithLines(t);
    const first = await storeShipment(t, order.id, { costAmount: "0.1250", costCurrency: "AUD" }, [parcel(1, "B1"), parcel(0, "B0", { weight: kg })], [
      { orderLineId: lineIds[0], sku: "WIDGET", quantity: 2 },
    ]);
    const second = await storeShipment(t, order.id, { voided: true }, [], [{ orderLineId: lineIds[1], sku: "GADGET", quantity: 3 }]);

    const byIds = await loadShipmentsByIds(getDb(), [first, second]);
    if (onPostgres) await settleHorizon();
    const page = await listShipments(getDb(), t.ctx, { limit: 10, orderId: order.id });
    expect(JSON.parse(page.dataJson)).toEqual(byIds);
    // The list's text keeps the keys in the contract's order too.
    expect((JSON.parse(page.dataJson) as object[]).map((s) => Object.keys(s))).toEqual(byIds.map((s) => Object.keys(s)));
    expect(page.pagination).toEqual({ next_cursor: null, has_more: false });
    expect(await getShipment(getDb(), t.ctx, second)).toEqual(byIds[1]);

    const byOrder = await loadShipmentsForOrders(getDb(), [order.id, "ord_none"]);
    expect(byOrder.get(order.id)).toEqual(byIds);
    expect(byOrder.get("ord_none")).toEqual([]);
    expect((await loadOrder(getDb(), t, order.id)).shipments).toEqual(byIds);
  });
});
