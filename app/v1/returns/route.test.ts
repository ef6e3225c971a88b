import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { createSku, createTenant } from "@/e2e/support/factories";
import { countRows, outboxTypes } from "@/e2e/support/footprints";
import { settled } from "@/e2e/support/horizon";
import { recomputeFromLedger, stockOf } from "@/e2e/support/inventory";
import { placeTestOrder, shippedTestOrder } from "@/e2e/support/orders";
import { call } from "@/e2e/support/route-calls";
import { GET as getAdjustments } from "../inventory-adjustments/route";
import { POST as receive } from "../sandbox/returns/[id]/receive/route";
import { GET as getOne } from "./[id]/route";
import { GET as list, POST as create } from "./route";

describe("returns (RMA)", () => {
  it("restocks only inspected resellable units; uninspected ones are held until inspection", async () => {
    const t = await createTenant();
    const widget = await createSku(t, "WIDGET", { [t.warehouses.syd]: 10 });
    const { order } = await shippedTestOrder(t, [{ sku: "WIDGET", quantity: 5 }]);
    expect(await stockOf(t, widget.sku, t.warehouses.syd)).toMatchObject({ onHand: 5, allocated: 0 });

    const created = await call(create, "/v1/returns", { key: t.key, body: { order_id: order.id, rma: "RMA-1", items: [{ sku: "WIDGET", quantity: 4 }] } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^ret_/),
      order_id: order.id,
      order_number: order.order_number,
      rma: "RMA-1",
      status: "expected",
      warehouse_id: t.warehouses.syd,
      received_at: null,
      items: [{ sku: "WIDGET", quantity: 4, condition: null, restocked: false }],
      expected_items: [{ sku: "WIDGET", quantity: 4 }],
    });
    const id = created.body.id as string;

    // Mixed arrival: one resellable, one damaged, two not inspected yet.
    const arrived = await call(receive, `/v1/sandbox/returns/${id}/receive`, {
      key: t.key,
      params: { id },
      body: {
        items: [
          { sku: "WIDGET", quantity: 1, condition: "resellable" },
          { sku: "WIDGET", quantity: 1, condition: "damaged" },
          { sku: "WIDGET", quantity: 2 },
        ],
      },
    });
    expect(arrived.status).toBe(200);
    expect(arrived.body.status).toBe("received");
    expect(arrived.body.items).toEqual([
      { sku: "WIDGET", quantity: 1, condition: "resellable", restocked: true },
      { sku: "WIDGET", quantity: 1, condition: "damaged", restocked: false },
      { sku: "WIDGET", quantity: 2, condition: null, restocked: false },
    ]);
    // Only the resellable unit is sellable; the two uninspected ones are held, not available.
    expect(await stockOf(t, widget.sku, t.warehouses.syd)).toMatchObject({ onHand: 6, allocated: 0, quarantined: 2 });
    const blocked = await placeTestOrder(t, [{ sku: "WIDGET", quantity: 7 }]);
    expect(blocked.status).toBe("backordered");

    // Inspection of the waiting units; asking for more than waits is refused, nothing moves.
    const tooMany = await call(receive, `/v1/sandbox/returns/${id}/receive`, { key: t.key, params: { id }, body: { items: [{ sku: "WIDGET", quantity: 3, condition: "resellable" }] } });
    expect([tooMany.status, tooMany.body.error.code, tooMany.body.error.field]).toEqual([422, "validation_error", "items[0].quantity"]);
    const noCondition = await call(receive, `/v1/sandbox/returns/${id}/receive`, { key: t.key, params: { id }, body: { items: [{ sku: "WIDGET", quantity: 1 }] } });
    expect([noCondition.status, noCondition.body.error.field]).toEqual([422, "items[0].condition"]);
    expect(await stockOf(t, widget.sku, t.warehouses.syd)).toMatchObject({ onHand: 6, quarantined: 2 });

    const inspected = await call(receive, `/v1/sandbox/returns/${id}/receive`, {
      key: t.key,
      params: { id },
      body: { items: [{ sku: "WIDGET", quantity: 1, condition: "resellable" }, { sku: "WIDGET", quantity: 1, condition: "defective" }] },
    });
    expect(inspected.body.status).toBe("processed");
    expect(inspected.body.processed_at).toEqual(expect.any(String));
    expect(inspected.body.items.map((i: { condition: string; restocked: boolean; quantity: number }) => [i.quantity, i.condition, i.restocked])).toEqual([
      [1, "resellable", true],
      [1, "damaged", false],
      [1, "resellable", true],
      [1, "defective", false],
    ]);
    // 5 + 2 resellable; the backordered order (7) now fits and was released first-come-first-served.
    expect(await stockOf(t, widget.sku, t.warehouses.syd)).toMatchObject({ onHand: 7, quarantined: 0, allocated: 7 });

    const again = await call(receive, `/v1/sandbox/returns/${id}/receive`, { key: t.key, params: { id }, body: { items: [{ sku: "WIDGET", quantity: 1, condition: "resellable" }] } });
    expect(again.status).toBe(422);

    const adjustments = await settled(
      () => call(getAdjustments, "/v1/inventory-adjustments?reason=returned", { key: t.key }),
      (r) => r.body.data?.length === 2,
    );
    expect(adjustments.body.data.map((a: { quantity_delta: number }) => a.quantity_delta)).toEqual([1, 1]);
    expect((await outboxTypes(t)).filter((x) => x === "return.received")).toHaveLength(2);
    expect(await recomputeFromLedger(getDb(), { accountId: t.accountId })).toEqual([]);
  });

  it("refuses returns of unshipped orders or unshipped SKUs and replays an identical RMA", async () => {
    const t = await createTenant();
    await createSku(t, "WIDGET", { [t.warehouses.syd]: 10 });
    await createSku(t, "GADGET", { [t.warehouses.syd]: 10 });
    const open = await placeTestOrder(t, [{ sku: "WIDGET", quantity: 1 }]);
    const { order } = await shippedTestOrder(t, [{ sku: "WIDGET", quantity: 2 }]);
    const cases: [Record<string, unknown>, number, string, string][] = [
      [{ order_id: open.id, rma: "R-1", items: [{ sku: "WIDGET", quantity: 1 }] }, 422, "validation_error", "order_id"],
      [{ order_id: "ord_nope", rma: "R-2", items: [{ sku: "WIDGET", quantity: 1 }] }, 422, "validation_error", "order_id"],
      [{ order_id: order.id, rma: "R-3", items: [{ sku: "GADGET", quantity: 1 }] }, 422, "validation_error", "items[0].sku"],
      [{ order_id: order.id, rma: "R-4", items: [{ sku: "WIDGET", quantity: 3 }] }, 422, "validation_error", "items[0].quantity"],
      [{ order_id: order.id, rma: "R-5", items: [] }, 422, "validation_error", "items"],
    ];
    for (const [body, status, code, field] of cases) {
      const res = await call(create, "/v1/returns", { key: t.key, body });
      expect([res.status, res.body.error.code, res.body.error.field]).toEqual([status, code, field]);
      expect(res.body.error.request_id).toEqual(expect.any(String));
    }
    expect(await countRows("returns", t.accountId)).toBe(0);

    const body = { order_id: order.id, rma: "RMA-9", items: [{ sku: "WIDGET", quantity: 1 }] };
    const first = await call(create, "/v1/returns", { key: t.key, body });
    const replay = await call(create, "/v1/returns", { key: t.key, body });
    expect([replay.status, replay.body.id, replay.headers.get("idempotent-replayed")]).toEqual([200, first.body.id, "true"]);
    const conflict = await call(create, "/v1/returns", { key: t.key, body: { ...body, items: [{ sku: "WIDGET", quantity: 2 }] } });
    expect(conflict.body.error).toMatchObject({ code: "duplicate_reference", return_id: first.body.id });

    const listed = await settled(
      () => call(list, `/v1/returns?order_id=${order.id}`, { key: t.key }),
      (r) => r.body.data?.length === 1,
    );
    expect(listed.body.data.map((r: { id: string }) => r.id)).toEqual([first.body.id]);
    const other = await createTenant();
    expect((await call(getOne, `/v1/returns/${first.body.id}`, { key: other.key, params: { id: first.body.id } })).status).toBe(404);
    expect((await call(getOne, `/v1/returns/${first.body.id}`, { key: t.key, params: { id: first.body.id } })).body.rma).toBe("RMA-9");
  });
});
