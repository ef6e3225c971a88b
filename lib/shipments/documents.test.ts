import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, queryRows } from "@/db/client";
import { inTransaction } from "@/db/transaction";
import { shipments } from "@/db/schema";
import { getShipment, listShipments } from "./list";
import { storeMissingShipmentDocuments, shipmentJson } from "./present";
import { createShipment } from "./ship";
import { updateShipmentStatus, voidShipment } from "./status";
import { placeTestOrder } from "@/e2e/support/orders";
import { createSku, createTenant, sandboxCtx } from "@/e2e/support/factories";
import { settleHorizon } from "@/e2e/support/horizon";
import { onPostgres } from "@/e2e/support/vitest-env";

const run = <T>(fn: Parameters<typeof inTransaction<T>>[1]) => inTransaction(getDb(), fn);

/** The stored document beside a rendering from the tables made now: they must be the same text. */
async function storedAndFresh(shipmentId: string) {
  const [row] = await queryRows<{ stored: string | null; fresh: string }>(
    getDb(),
    sql`select document::text as stored, ${shipmentJson(shipments)}::text as fresh from ${shipments} where ${shipments.id} = ${shipmentId}`,
  );
  return row;
}

async function shippedInTwoParcels() {
  const t = await createTenant();
  await createSku(t, "BLUE", { [t.warehouses.syd]: 10 });
  await createSku(t, "RED", { [t.warehouses.syd]: 10 });
  const order = await placeTestOrder(t, [
    { sku: "BLUE", quantity: 2 },
    { sku: "RED", quantity: 1 },
  ]);
  const ctx = { ...sandboxCtx(t), source: "carrier" as const };
  const { shipment } = await run((tx) =>
    createShipment(tx, ctx, {
      orderId: order.id,
      shippedAt: new Date("2026-07-02T10:00:00Z"),
      cost: { amount: "12.40", currency: "AUD" },
      parcels: [{ trackingNumber: "DOC000000001AU", weight: { value: 1.2, unit: "kg" } }, { trackingNumber: "DOC000000002AU" }],
    }),
  );
  return { t, ctx, shipment };
}

describe("stored shipment documents", () => {
  it("every write leaves the stored document equal to the object rendered from the tables, and reads return it", async () => {
    const { t, ctx, shipment } = await shippedInTwoParcels();
    let row = await storedAndFresh(shipment.id);
    expect(row.stored).toBe(row.fresh);
    expect(JSON.parse(row.stored!)).toEqual(shipment);
    expect(shipment.parcels.map((p) => p.tracking_number)).toEqual(["DOC000000001AU", "DOC000000002AU"]);

    const moved = await run((tx) => updateShipmentStatus(tx, ctx, { shipmentId: shipment.id, status: "in_transit", occurredAt: new Date("2026-07-02T12:00:00Z") }));
    row = await storedAndFresh(shipment.id);
    expect(row.stored).toBe(row.fresh);
    expect(JSON.parse(row.stored!)).toMatchObject({ status: "in_transit", updated_at: moved.shipment.updated_at });
    expect(moved.shipment.updated_at > shipment.updated_at).toBe(true);

    const voided = await run((tx) => voidShipment(tx, ctx, { shipmentId: shipment.id }));
    row = await storedAndFresh(shipment.id);
    expect(row.stored).toBe(row.fresh);
    expect(JSON.parse(row.stored!)).toMatchObject({ status: "voided", voided: true });

    // The list holds back rows newer than any transaction still open; on a shared PostgreSQL other files have some.
    if (onPostgres) await settleHorizon();
    const page = await listShipments(getDb(), t.ctx, { limit: 10, orderId: shipment.order_id });
    expect(JSON.parse(page.dataJson)).toEqual([voided.shipment]);
    expect(await getShipment(getDb(), t.ctx, shipment.id)).toEqual(voided.shipment);
  });

  it("a shipment stored before documents existed is rendered on read, and housekeeping stores its document", async () => {
    const { t, shipment } = await shippedInTwoParcels();
    // As the migration that added documents left every row: document null, updated_at where it was.
    await queryRows(getDb(), sql`update ${shipments} set document = null where ${shipments.id} = ${shipment.id}`);

    if (onPostgres) await settleHorizon();
    const page = await listShipments(getDb(), t.ctx, { limit: 10, orderId: shipment.order_id });
    expect(JSON.parse(page.dataJson)).toEqual([shipment]);
    expect(await getShipment(getDb(), t.ctx, shipment.id)).toEqual(shipment);

    let rendered = 0;
    // In batches, until none is left: on a shared PostgreSQL that includes the rows other files' plan tests insert bare.
    for (let n = -1; n !== 0; rendered += n) n = await storeMissingShipmentDocuments(getDb(), 500);
    expect(rendered).toBeGreaterThanOrEqual(1);
    const row = await storedAndFresh(shipment.id);
    expect(row.stored).toBe(row.fresh);
    // Rendering is not a change: updated_at stays, so pollers are not sent every shipment again.
    expect(JSON.parse(row.stored!)).toEqual(shipment);
    const [{ missing }] = await queryRows<{ missing: number }>(
      getDb(),
      sql`select count(*)::int as missing from ${shipments} where ${shipments.accountId} = ${t.accountId} and document is null`,
    );
    expect(missing).toBe(0);
  });
});
