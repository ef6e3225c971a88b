import { and, asc, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { orders, skus } from "@/db/schema";
import { numericIdOf } from "@/lib/channels/shopify/gid";
import type { Tenant } from "@/lib/context";
import type { MappingForm } from "./form";
import { findMapping } from "./mappings";

/** How many of the account's SKUs the form offers as suggestions (typing any other still works). */
const SKU_SUGGESTIONS = 2000;

export type MappingEditor = {
  /** The mapping being edited, as the form shows it; undefined when adding (or when it is gone). */
  mapping?: MappingForm & { id: string };
  /** The account's SKUs, for the "account SKU" suggestions. */
  accountSkus: string[];
  /** The order the user came from (an unmapped line's "add this mapping"), when it is the account's. */
  heldOrder?: { id: string; orderNumber: string };
};

/** What the add/edit mapping page needs, read for the account only: another account's ids find nothing. */
export async function loadMappingEditor(db: DbOrTx, ctx: Tenant, ref: { mappingId?: string; orderId?: string }): Promise<MappingEditor> {
  const ofTenant = (table: typeof skus | typeof orders) => and(eq(table.accountId, ctx.accountId), eq(table.environment, ctx.environment));
  const [existing, accountSkus, [heldOrder]] = await Promise.all([
    ref.mappingId ? findMapping(db, ctx, ref.mappingId) : undefined,
    db.select({ sku: skus.sku }).from(skus).where(ofTenant(skus)).orderBy(asc(skus.sku)).limit(SKU_SUGGESTIONS),
    ref.orderId
      ? db
          .select({ id: orders.id, orderNumber: orders.orderNumber })
          .from(orders)
          .where(and(eq(orders.id, ref.orderId), ofTenant(orders)))
      : [],
  ]);
  const [target] = existing ? await db.select({ sku: skus.sku }).from(skus).where(eq(skus.id, existing.skuId)) : [];
  return {
    mapping: existing && {
      id: existing.id,
      channelSku: existing.channelSku ?? "",
      variantId: existing.variantId ? numericIdOf(existing.variantId) : "",
      accountSku: target?.sku ?? "",
      warehouseItemCode: existing.warehouseItemCode ?? "",
      active: existing.active,
    },
    accountSkus: accountSkus.map((s) => s.sku),
    heldOrder,
  };
}
