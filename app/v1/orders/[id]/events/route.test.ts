import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { createSku, createTenant } from "@/e2e/support/factories";
import { orderFootprint } from "@/e2e/support/footprints";
import { orderBody } from "@/e2e/support/orders";
import { call, expectError } from "@/e2e/support/route-calls";
import { createOrder } from "@/lib/orders/create";
import { POST as NOTE } from "../notes/route";
import { GET } from "./route";

describe("GET /v1/orders/{id}/events and POST /v1/orders/{id}/notes", () => {
  it("lists the timeline oldest first, pages it by cursor, and appends partner notes attributed to the account", async () => {
    const t = await createTenant({ name: `Acme ${Date.now()}` });
    await createSku(t, "WIDGET", { [t.warehouses.mel]: 5 });
    const { order } = await createOrder(getDb(), { ...t.ctx, source: "api" }, orderBody(t, { warehouse_id: undefined, items: [{ sku: "WIDGET", quantity: 1 }] }));
    const note = await call(NOTE, `/v1/orders/${order.id}/notes`, { key: t.key, params: { id: order.id }, body: { message: "Customer asked for a morning delivery." } });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ type: "note", source: "api", message: "Customer asked for a morning delivery.", actor: expect.stringMatching(/^Acme /) });

    const res = await call(GET, `/v1/orders/${order.id}/events`, { key: t.key, params: { id: order.id } });
    expect(res.status).toBe(200);
    expect(res.body.data.map((e: { type: string }) => e.type)).toEqual(["received", "routed", "allocated", "note"]);
    const routed = res.body.data[1];
    expect(routed.message).toContain("Routed to Melbourne DC");
    expect(res.body.data[0]).toEqual({
      id: expect.stringMatching(/^oev_/),
      type: "received",
      source: "api",
      raw_status: null,
      status: "received",
      message: expect.any(String),
      actor: expect.any(String),
      stale: false,
      occurred_at: expect.stringMatching(/Z$/),
      recorded_at: expect.stringMatching(/Z$/),
    });

    const page1 = await call(GET, `/v1/orders/${order.id}/events?limit=3`, { key: t.key, params: { id: order.id } });
    expect(page1.body.pagination.has_more).toBe(true);
    const page2 = await call(GET, `/v1/orders/${order.id}/events?limit=3&cursor=${encodeURIComponent(page1.body.pagination.next_cursor)}`, {
      key: t.key,
      params: { id: order.id },
    });
    expect(page2.body).toMatchObject({ pagination: { has_more: false, next_cursor: null } });
    expect([...page1.body.data, ...page2.body.data].map((e: { id: string }) => e.id)).toEqual(res.body.data.map((e: { id: string }) => e.id));
  });

  it("refuses empty, hostile or oversized notes and bad query parameters, writing nothing", async () => {
    const t = await createTenant();
    await createSku(t, "WIDGET", { [t.warehouses.syd]: 5 });
    const { order } = await createOrder(getDb(), t.ctx, orderBody(t, { items: [{ sku: "WIDGET", quantity: 1 }] }));
    const before = await orderFootprint(t);
    const note = (body: unknown) => call(NOTE, `/v1/orders/${order.id}/notes`, { key: t.key, params: { id: order.id }, body });
    expectError(await note({}), 422, "validation_error", "message");
    expectError(await note({ message: "   " }), 422, "validation_error", "message");
    expectError(await note({ message: "bad\u0000byte" }), 422, "validation_error", "message");
    expectError(await note({ message: "x".repeat(5000) }), 422, "validation_error", "message");
    expectError(await note({ message: "hi", author: "me" }), 422, "validation_error", "author");
    expectError(await call(NOTE, `/v1/orders/${order.id}/notes`, { key: t.key, params: { id: order.id }, rawBody: "hi", headers: { "content-type": "text/plain" } }), 415, "unsupported_media_type");
    expectError(await call(GET, `/v1/orders/${order.id}/events?since=1`, { key: t.key, params: { id: order.id } }), 400, "invalid_parameter", "since");
    expectError(await call(GET, `/v1/orders/${order.id}/events?cursor=forged`, { key: t.key, params: { id: order.id } }), 400, "invalid_cursor", "cursor");
    expectError(await call(GET, `/v1/orders/ord_none/events`, { key: t.key, params: { id: "ord_none" } }), 404, "not_found");
    expect(await orderFootprint(t)).toEqual(before);
  });
});
