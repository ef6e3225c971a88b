import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { orders } from "@/db/schema";
import { recomputeFromLedger, stockOf } from "@/e2e/support/inventory";
import { call } from "@/e2e/support/route-calls";
import { countRows, outboxTypes } from "@/e2e/support/footprints";
import { createSku, createTenant, keyWithRole } from "@/e2e/support/factories";
import { placeTestOrder } from "@/e2e/support/orders";
import { settled } from "@/e2e/support/horizon";
import { GET as getAdjustments } from "../inventory-adjustments/route";
import { POST as receive } from "../sandbox/inbound-shipments/[id]/receive/route";
import { GET as getOne } from "./[id]/route";
import { GET as list, POST as create } from "./route";

const asn = (warehouseId: string, overrides: Record<string, unknown> = {}) => ({
  reference: "ASN-5567",
  warehouse_id: warehouseId,
  expected_at: "2026-07-08",
  supplier: "Acme Manufacturing",
  items: [
    { sku: "WIDGET-BLUE-M", expected_quantity: 10 },
    { sku: "WIDGET-RED-S", expected_quantity: 3 },
  ],
  ...overrides,
});

describe("inbound shipments (ASN)", () => {
  it("counts expected units as incoming, receives partially with a signed discrepancy, releases backorders, then closes", async () => {
    const t = await createTenant();
    const blue = await createSku(t, "WIDGET-BLUE-M");
    const red = await createSku(t, "WIDGET-RED-S");
    const backordered = await placeTestOrder(t, [{ sku: "WIDGET-BLUE-M", quantity: 3 }]);
    expect(backordered.status).toBe("backordered");

    const created = await call(create, "/v1/inbound-shipments", { key: t.key, body: asn(t.warehouses.syd) });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe(`/v1/inbound-shipments/${created.body.id}`);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^ib_/),
      reference: "ASN-5567",
      status: "expected",
      warehouse_id: t.warehouses.syd,
      supplier: "Acme Manufacturing",
      expected_at: "2026-07-08",
      received_at: null,
      items: [
        { sku: "WIDGET-BLUE-M", expected_quantity: 10, received_quantity: 0, discrepancy: -10 },
        { sku: "WIDGET-RED-S", expected_quantity: 3, received_quantity: 0, discrepancy: -3 },
      ],
    });
    expect(await stockOf(t, blue.sku, t.warehouses.syd)).toMatchObject({ onHand: 0, incoming: 10, backordered: 3 });

    const id = created.body.id as string;
    const partial = await call(receive, `/v1/sandbox/inbound-shipments/${id}/receive`, {
      key: t.key,
      params: { id },
      body: { items: [{ sku: "WIDGET-BLUE-M", received_quantity: 4 }] },
    });
    expect(partial.status).toBe(200);
    expect(partial.body.status).toBe("partially_received");
    expect(partial.body.received_at).toEqual(expect.any(String));
    expect(partial.body.items).toEqual([
      { sku: "WIDGET-BLUE-M", expected_quantity: 10, received_quantity: 4, discrepancy: -6 },
      { sku: "WIDGET-RED-S", expected_quantity: 3, received_quantity: 0, discrepancy: -3 },
    ]);
    // Received units join on_hand, leave incoming, and the waiting order got them first.
    expect(await stockOf(t, blue.sku, t.warehouses.syd)).toMatchObject({ onHand: 4, incoming: 6, allocated: 3, backordered: 0 });
    const [order] = await getDb().select().from(orders).where(eq(orders.id, backordered.id));
    expect(order.status).toBe("received");

    // Receipts add up; `complete` closes the ASN short and releases what never came from incoming.
    const last = await call(receive, `/v1/sandbox/inbound-shipments/${id}/receive`, {
      key: t.key,
      params: { id },
      body: { items: [{ sku: "WIDGET-BLUE-M", received_quantity: 5 }, { sku: "WIDGET-RED-S", received_quantity: 3 }], complete: true },
    });
    expect(last.body.status).toBe("received");
    expect(last.body.items.map((i: { discrepancy: number }) => i.discrepancy)).toEqual([-1, 0]);
    expect(await stockOf(t, blue.sku, t.warehouses.syd)).toMatchObject({ onHand: 9, incoming: 0, allocated: 3 });
    expect(await stockOf(t, red.sku, t.warehouses.syd)).toMatchObject({ onHand: 3, incoming: 0 });

    const closed = await call(receive, `/v1/sandbox/inbound-shipments/${id}/receive`, {
      key: t.key,
      params: { id },
      body: { items: [{ sku: "WIDGET-RED-S", received_quantity: 1 }] },
    });
    expect(closed.status).toBe(422);
    expect(closed.body.error.code).toBe("validation_error");

    const adjustments = await settled(
      () => call(getAdjustments, "/v1/inventory-adjustments?reason=received", { key: t.key }),
      (r) => r.body.data?.length === 3,
    );
    expect(adjustments.status).toBe(200);
    expect(adjustments.body.data.map((a: { sku: string; quantity_delta: number; reason: string }) => [a.sku, a.quantity_delta, a.reason])).toEqual([
      ["WIDGET-BLUE-M", 4, "received"],
      ["WIDGET-BLUE-M", 5, "received"],
      ["WIDGET-RED-S", 3, "received"],
    ]);
    expect(adjustments.body.data[0]).toMatchObject({ id: expect.stringMatching(/^adj_/), warehouse_id: t.warehouses.syd, adjusted_at: expect.any(String) });
    expect((await outboxTypes(t)).filter((x) => x === "inbound.received")).toHaveLength(2);
    expect(await recomputeFromLedger(getDb(), { accountId: t.accountId })).toEqual([]);
  });

  it("records an over-delivery without pushing incoming below zero", async () => {
    const t = await createTenant();
    const blue = await createSku(t, "WIDGET-BLUE-M");
    const extra = await createSku(t, "EXTRA");
    const created = await call(create, "/v1/inbound-shipments", { key: t.key, body: asn(t.warehouses.syd, { items: [{ sku: "WIDGET-BLUE-M", expected_quantity: 2 }] }) });
    const id = created.body.id as string;
    const res = await call(receive, `/v1/sandbox/inbound-shipments/${id}/receive`, {
      key: t.key,
      params: { id },
      body: { items: [{ sku: "WIDGET-BLUE-M", received_quantity: 5 }, { sku: "EXTRA", received_quantity: 1 }] },
    });
    expect(res.body.status).toBe("received");
    expect(res.body.items).toEqual([
      { sku: "WIDGET-BLUE-M", expected_quantity: 2, received_quantity: 5, discrepancy: 3 },
      { sku: "EXTRA", expected_quantity: 0, received_quantity: 1, discrepancy: 1 },
    ]);
    expect(await stockOf(t, blue.sku, t.warehouses.syd)).toMatchObject({ onHand: 5, incoming: 0 });
    expect(await stockOf(t, extra.sku, t.warehouses.syd)).toMatchObject({ onHand: 1, incoming: 0 });
  });

  it("replays an identical create, refuses a different body under the same reference, and writes nothing on bad input", async () => {
    const t = await createTenant();
    await createSku(t, "WIDGET-BLUE-M");
    await createSku(t, "WIDGET-RED-S");
    const first = await call(create, "/v1/inbound-shipments", { key: t.key, body: asn(t.warehouses.syd) });
    const again = await call(create, "/v1/inbound-shipments", { key: t.key, body: asn(t.warehouses.syd) });
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body.id).toBe(first.body.id);
    const conflict = await call(create, "/v1/inbound-shipments", { key: t.key, body: asn(t.warehouses.syd, { supplier: "Someone else" }) });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error).toMatchObject({ code: "duplicate_reference", field: "reference", inbound_shipment_id: first.body.id, request_id: expect.any(String) });
    expect(await countRows("inbound_shipments", t.accountId)).toBe(1);

    const ledgerBefore = await countRows("inventory_ledger", t.accountId);
    const cases: [Record<string, unknown>, number, string, string | undefined][] = [
      [asn(t.warehouses.syd, { reference: "ASN-2", items: [{ sku: "WIDGET-BLUE-M", expected_quantity: 1 }, { sku: "NOPE", expected_quantity: 1 }] }), 422, "unknown_sku", "items[1].sku"],
      [asn("wh_nope", { reference: "ASN-3" }), 422, "invalid_warehouse", "warehouse_id"],
      [asn(t.warehouses.syd, { reference: "ASN-4", items: [{ sku: "WIDGET-BLUE-M", expected_quantity: 0 }] }), 422, "validation_error", "items[0].expected_quantity"],
      [asn(t.warehouses.syd, { reference: "ASN-5", items: [{ sku: "WIDGET-BLUE-M", expected_quantity: 1 }, { sku: "WIDGET-BLUE-M", expected_quantity: 1 }] }), 422, "validation_error", "items[1].sku"],
      [asn(t.warehouses.syd, { reference: "ASN-6", colour: "blue" }), 422, "validation_error", "colour"],
    ];
    for (const [body, status, code, field] of cases) {
      const res = await call(create, "/v1/inbound-shipments", { key: t.key, body });
      expect([res.status, res.body.error.code, res.body.error.field]).toEqual([status, code, field]);
    }
    expect(await countRows("inbound_shipments", t.accountId)).toBe(1);
    expect(await countRows("inventory_ledger", t.accountId)).toBe(ledgerBefore);
  });

  it("lists by updated_since with a cursor, and hides other tenants' and environments' ASNs", async () => {
    const t = await createTenant();
    await createSku(t, "WIDGET-BLUE-M");
    await createSku(t, "WIDGET-RED-S");
    const ids: string[] = [];
    for (const ref of ["A-1", "A-2", "A-3"]) ids.push((await call(create, "/v1/inbound-shipments", { key: t.key, body: asn(t.warehouses.syd, { reference: ref }) })).body.id);
    await settled(
      () => call(list, "/v1/inbound-shipments", { key: t.key }),
      (r) => r.body.data?.length === 3,
    );
    const page1 = await call(list, "/v1/inbound-shipments?limit=2&updated_since=2020-01-01T00:00:00Z", { key: t.key });
    expect(page1.body.data.map((d: { id: string }) => d.id)).toEqual(ids.slice(0, 2));
    expect(page1.body.pagination.has_more).toBe(true);
    const page2 = await call(list, `/v1/inbound-shipments?limit=2&updated_since=2020-01-01T00:00:00Z&cursor=${page1.body.pagination.next_cursor}`, { key: t.key });
    expect(page2.body.data.map((d: { id: string }) => d.id)).toEqual(ids.slice(2));
    expect(page2.body.pagination).toEqual({ next_cursor: null, has_more: false });
    expect((await call(list, "/v1/inbound-shipments?stauts=expected", { key: t.key })).body.error).toMatchObject({ code: "invalid_parameter", field: "stauts" });

    const other = await createTenant();
    expect((await call(getOne, `/v1/inbound-shipments/${ids[0]}`, { key: other.key, params: { id: ids[0] } })).status).toBe(404);
    expect((await call(list, "/v1/inbound-shipments", { key: other.key })).body.data).toEqual([]);
    const live = await keyWithRole(t, "partner", "live");
    expect((await call(getOne, `/v1/inbound-shipments/${ids[0]}`, { key: live, params: { id: ids[0] } })).status).toBe(404);
    const sandboxOnly = await call(receive, `/v1/sandbox/inbound-shipments/${ids[0]}/receive`, {
      key: live,
      params: { id: ids[0] },
      body: { items: [{ sku: "WIDGET-BLUE-M", received_quantity: 1 }] },
    });
    expect([sandboxOnly.status, sandboxOnly.body.error.code]).toEqual([403, "sandbox_only"]);
    expect((await call(getOne, `/v1/inbound-shipments/${ids[0]}`, { key: t.key, params: { id: ids[0] } })).body.status).toBe("expected");
  });
});
