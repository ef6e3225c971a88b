import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { orders, skuMappings, skus, type Order, type SkuMapping } from "@/db/schema";
import { toGid } from "@/lib/channels/shopify/gid";
import { rerunHeldOrders } from "@/lib/channels/shopify/sku-map";
import type { DomainContext, Tenant } from "@/lib/context";
import { DomainError, InvalidFieldsError, ValidationError } from "@/lib/errors";
import { mappingFormErrors, type MappingForm } from "./form";
import { DEFAULT_CHANNEL, findMapping, findMappingTargets, upsertMapping } from "./mappings";

export type { MappingForm };

export type SavedMapping = { mapping: SkuMapping; created: boolean };

/**
 * Saves one mapping from the ops form: a new one upserts by variant or channel SKU (so adding a mapping that
 * exists edits it), an edit changes that row. A key another mapping already holds is refused by name, on its field.
 */
export async function saveMapping(db: Db, ctx: Tenant, form: MappingForm, channel = DEFAULT_CHANNEL): Promise<SavedMapping> {
  const fieldErrors = mappingFormErrors(form);
  const [sku] = form.accountSku.trim()
    ? await db
        .select({ id: skus.id })
        .from(skus)
        .where(and(eq(skus.accountId, ctx.accountId), eq(skus.environment, ctx.environment), eq(skus.sku, form.accountSku.trim())))
    : [];
  if (form.accountSku.trim() && !sku) fieldErrors.accountSku = `'${form.accountSku.trim()}' is not a SKU of this account.`;
  if (Object.keys(fieldErrors).length) throw new InvalidFieldsError(fieldErrors);

  const input = {
    channelSku: form.channelSku.trim() || null,
    variantId: form.variantId.trim() ? toGid("ProductVariant", form.variantId.trim()) : null,
    skuId: sku.id,
    warehouseItemCode: form.warehouseItemCode.trim() || null,
    active: form.active,
  };
  if (form.id) {
    const existing = await findMapping(db, ctx, form.id);
    if (!existing) throw new DomainError("not_found", "This mapping no longer exists; reload the page.");
    const { byVariant, bySku } = await findMappingTargets(db, ctx, input, channel);
    if (byVariant && byVariant.id !== existing.id) fieldErrors.variantId = "Another mapping already uses this variant id.";
    if (bySku && bySku.id !== existing.id) fieldErrors.channelSku = "Another mapping already uses this Shopify SKU.";
    if (Object.keys(fieldErrors).length) throw new InvalidFieldsError(fieldErrors);
    const [mapping] = await db
      .update(skuMappings)
      .set({
        ...input,
        lastVerifiedAt: sql`now()`,
        needsVerification: false,
        // The cached inventory item belongs to the variant: another variant must look it up again.
        inventoryItemId: input.variantId === existing.variantId ? existing.inventoryItemId : null,
      })
      .where(eq(skuMappings.id, existing.id))
      .returning();
    return { mapping, created: false };
  }
  const saved = await upsertMapping(db, ctx, input, channel);
  if (!saved) throw new ValidationError("This variant id and this Shopify SKU belong to two different mappings.", "variantId");
  return saved;
}

export type ReleasedOrder = { id: string; orderNumber: string; status: Order["status"] };

/**
 * The ops form's save: the mapping, then the account's orders held for unmapped SKUs re-run, so the fix takes
 * effect at once. Says which orders that released and where each is now, in the order they were re-run.
 */
export async function saveMappingAndRelease(
  db: Db,
  ctx: DomainContext,
  form: MappingForm,
): Promise<SavedMapping & { released: ReleasedOrder[] }> {
  const saved = await saveMapping(db, ctx, form);
  const releasedIds = await rerunHeldOrders(db, ctx);
  const rows = releasedIds.length
    ? await db
        .select({ id: orders.id, orderNumber: orders.orderNumber, status: orders.status })
        .from(orders)
        .where(and(inArray(orders.id, releasedIds), eq(orders.accountId, ctx.accountId), eq(orders.environment, ctx.environment)))
    : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return { ...saved, released: releasedIds.flatMap((id) => byId.get(id) ?? []) };
}
