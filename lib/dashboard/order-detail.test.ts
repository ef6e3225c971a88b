import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { orderEvents, orders } from "@/db/schema";
import { createSku, createTenant, unique } from "@/e2e/support/factories";
import { formatDay } from "@/lib/dashboard/format-time";
import { getOrderDetail } from "@/lib/dashboard/order-detail";
import { displayTimeZone } from "@/lib/dashboard/time-zone";
import { createOrder } from "@/lib/orders/create";

describe("getOrderDetail", () => {
  it("tells a held order's day in the zone its timeline is shown in, though it has no warehouse", async () => {
    const t = await createTenant();
    await createSku(t, "NOSTOCK");
    const { order } = await createOrder(
      getDb(),
      { ...t.ctx, source: "api" },
      {
        order_number: unique("SO"),
        reference: unique("R"),
        ship_to: { name: "Jane Doe", address1: "1 Main St", city: "Sydney", country: "AU" },
        items: [{ sku: "NOSTOCK", quantity: 1 }],
      },
    );
    // 23:30 UTC on 5 December is already 6 December in the dashboard's (Australian) zone: the day UTC gets wrong.
    const heldAt = new Date("2026-12-05T23:30:00Z");
    await getDb().update(orders).set({ createdAt: heldAt }).where(eq(orders.id, order.id));
    await getDb().update(orderEvents).set({ occurredAt: heldAt }).where(eq(orderEvents.orderId, order.id));

    const detail = await getOrderDetail(getDb(), order.id);
    expect(detail!.status).toBe("on_hold");
    expect(formatDay(heldAt, displayTimeZone())).not.toBe(formatDay(heldAt, "UTC"));
    expect(detail!.plainStatus).toContain(`On hold since ${formatDay(detail!.timeline[0].occurredAt, displayTimeZone())}:`);
  });
});
