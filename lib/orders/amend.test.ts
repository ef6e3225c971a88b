import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { orderLines } from "@/db/schema";
import { createSku, createTenant } from "@/e2e/support/factories";
import { orderBody } from "@/e2e/support/orders";
import { amendOrder } from "./amend";
import { createOrder } from "./create";

describe("amendOrder on a channel order", () => {
  it("keeps the channel's line ids on lines of the same SKU when a partner replaces the items", async () => {
    const t = await createTenant();
    await createSku(t, "WIDGET", { [t.warehouses.syd]: 50 });
    await createSku(t, "GADGET", { [t.warehouses.syd]: 50 });
    const { order } = await createOrder(
      getDb(),
      t.ctx,
      orderBody(t, { items: [{ sku: "WIDGET", quantity: 2 }, { sku: "GADGET", quantity: 1 }] }),
      { channel: "shopify", channelLines: [{ channelSku: "SHOP-W", channelLineId: "gid://shopify/LineItem/1" }, { channelSku: "SHOP-G", channelLineId: "gid://shopify/LineItem/2" }] },
    );

    await amendOrder(getDb(), t.ctx, order.id, { items: [{ sku: "GADGET", quantity: 3 }, { sku: "WIDGET", quantity: 1 }, { sku: "WIDGET", quantity: 1 }] });

    const lines = await getDb().select().from(orderLines).where(eq(orderLines.orderId, order.id)).orderBy(asc(orderLines.position));
    expect(lines.map((l) => [l.sku, l.quantity, l.channelLineId])).toEqual([
      ["GADGET", 3, "gid://shopify/LineItem/2"],
      ["WIDGET", 1, "gid://shopify/LineItem/1"],
      // The channel had one WIDGET line: a second one added by the partner has no channel counterpart.
      ["WIDGET", 1, null],
    ]);
  });
});
