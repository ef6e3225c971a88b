import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { createSku, createTenant } from "@/e2e/support/factories";
import { orderBody } from "@/e2e/support/orders";
import { createOrder } from "@/lib/orders/create";
import { loadMappingEditor } from "./editor";
import { upsertMapping } from "./mappings";

describe("loadMappingEditor", () => {
  it("gives the mapping as the form shows it, the account's SKUs in order, and the order the user came from", async () => {
    const t = await createTenant();
    const tee = await createSku(t, "TEE-RED", { [t.warehouses.syd]: 5 });
    await createSku(t, "MUG");
    const saved = await upsertMapping(getDb(), t.ctx, { channelSku: "SHOP-RED", variantId: "gid://shopify/ProductVariant/4711", skuId: tee.id, warehouseItemCode: "WMS-9", active: false });
    const { order } = await createOrder(getDb(), t.ctx, orderBody(t, { items: [{ sku: "TEE-RED", quantity: 1 }] }));

    const editor = await loadMappingEditor(getDb(), t.ctx, { mappingId: saved!.mapping.id, orderId: order.id });

    expect(editor).toEqual({
      mapping: { id: saved!.mapping.id, channelSku: "SHOP-RED", variantId: "4711", accountSku: "TEE-RED", warehouseItemCode: "WMS-9", active: false },
      accountSkus: ["MUG", "TEE-RED"],
      heldOrder: { id: order.id, orderNumber: order.order_number },
    });
  });

  it("finds nothing of another account from its ids", async () => {
    const t = await createTenant();
    const other = await createTenant();
    const theirs = await createSku(other, "THEIRS", { [other.warehouses.syd]: 1 });
    const saved = await upsertMapping(getDb(), other.ctx, { channelSku: "X", variantId: null, skuId: theirs.id, warehouseItemCode: null, active: true });
    const { order } = await createOrder(getDb(), other.ctx, orderBody(other, { items: [{ sku: "THEIRS", quantity: 1 }] }));

    expect(await loadMappingEditor(getDb(), t.ctx, { mappingId: saved!.mapping.id, orderId: order.id })).toEqual({ mapping: undefined, accountSkus: [], heldOrder: undefined });
  });
});
