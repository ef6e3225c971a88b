import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { operationalExceptions, orderEvents } from "@/db/schema";
import { createSku, createTenant, unique } from "@/e2e/support/factories";
import { listOpenExceptions, resolveException } from "@/lib/dashboard/exceptions";
import { createOrder } from "@/lib/orders/create";

/** An order no warehouse can fulfil: the intake puts it on hold and raises an exception. */
async function heldOrder() {
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
  return { t, order };
}

describe("exceptions", () => {
  it("lists an open exception with its order and tenant", async () => {
    const { t, order } = await heldOrder();
    expect(order.status).toBe("on_hold");
    const rows = await listOpenExceptions(getDb(), { accountId: t.accountId });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ orderId: order.id, orderNumber: order.order_number, environment: "sandbox", kind: "no_eligible_warehouse" });
  });

  it("resolves it once, appending the resolution to the order's timeline as the dashboard user", async () => {
    const { t, order } = await heldOrder();
    const [exception] = await listOpenExceptions(getDb(), { accountId: t.accountId });

    const result = await resolveException(getDb(), { email: "ops@example.test" }, { exceptionId: exception.id, note: "Stock is on the way; customer told." });
    expect(result).toEqual({ ok: true });

    const [row] = await getDb().select().from(operationalExceptions).where(eq(operationalExceptions.id, exception.id));
    expect(row).toMatchObject({ status: "resolved", resolvedBy: "ops@example.test" });
    expect(await listOpenExceptions(getDb(), { accountId: t.accountId })).toEqual([]);
    const events = await getDb()
      .select()
      .from(orderEvents)
      .where(and(eq(orderEvents.orderId, order.id), eq(orderEvents.type, "exception_resolved")));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ source: "dashboard", actor: "ops@example.test", accountId: t.accountId, environment: "sandbox" });
    expect(events[0].message).toContain("Stock is on the way; customer told.");

    const again = await resolveException(getDb(), { email: "ops@example.test" }, { exceptionId: exception.id });
    expect(again).toEqual({ ok: false, error: "This exception was already resolved." });
    const after = await getDb()
      .select()
      .from(orderEvents)
      .where(and(eq(orderEvents.orderId, order.id), eq(orderEvents.type, "exception_resolved")));
    expect(after).toHaveLength(1);
  });

  it("answers an unknown id without writing anything", async () => {
    expect(await resolveException(getDb(), { email: "ops@example.test" }, { exceptionId: "exc_missing" })).toEqual({ ok: false, error: "This exception does not exist." });
  });
});
