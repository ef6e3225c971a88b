import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { connectedShop, deliver, onlyHubOrder } from "@/e2e/support/shopify/intake";
import { shopifyId, shopifyOrder } from "@/e2e/support/shopify/webhooks";
import { createSku } from "@/e2e/support/factories";
import { InvalidFieldsError } from "@/lib/errors";
import { saveMappingAndRelease } from "./save";

const form = { channelSku: "SHOP-BLUE", variantId: "", accountSku: "TEE-BLUE", warehouseItemCode: "", active: true };

describe("saveMappingAndRelease", () => {
  it("saves the mapping, re-runs the orders held for it and names each one released with where it is now", async () => {
    const s = await connectedShop();
    await createSku(s.tenant, "TEE-BLUE", { [s.tenant.warehouses.syd]: 5 });
    const payload = shopifyOrder({ name: `#${shopifyId()}`, lines: [{ variant_id: shopifyId(), sku: "SHOP-BLUE", quantity: 2 }] });
    await deliver(s, "orders/create", payload);
    const held = await onlyHubOrder(s, payload.id);
    expect(held.order).toMatchObject({ status: "on_hold", holdReason: "unmapped_sku" });

    const saved = await saveMappingAndRelease(getDb(), { ...s.tenant.ctx, source: "dashboard", actor: "ops@hub.test" }, form);

    expect(saved).toMatchObject({ created: true, mapping: { channelSku: "SHOP-BLUE" }, released: [{ id: held.order.id, orderNumber: payload.name, status: "received" }] });
    expect((await onlyHubOrder(s, payload.id)).order.status).toBe("received");
  });

  it("passes the form's refusal through and re-runs nothing", async () => {
    const s = await connectedShop();
    const payload = shopifyOrder({ lines: [{ variant_id: shopifyId(), sku: "SHOP-BLUE", quantity: 1 }] });
    await deliver(s, "orders/create", payload);

    const refused = await saveMappingAndRelease(getDb(), { ...s.tenant.ctx, source: "dashboard", actor: "ops@hub.test" }, form).catch((e: unknown) => e);

    expect(refused).toBeInstanceOf(InvalidFieldsError);
    expect((refused as InvalidFieldsError).fieldErrors).toEqual({ accountSku: "'TEE-BLUE' is not a SKU of this account." });
    expect((await onlyHubOrder(s, payload.id)).order.status).toBe("on_hold");
  });
});
