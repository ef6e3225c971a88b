import { and, asc, eq } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { channelOrders, operationalExceptions, orders, type ShopConnection } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import type { DomainContext, Tenant } from "@/lib/context";
import { newId } from "@/lib/ids";
import { UNMAPPED_SKU } from "@/lib/orders/place";
import { flagChangedVariants } from "@/lib/sku-map/mappings";
import { toGid } from "./gid";
import { rerunHeldOrder, shopContext, type Outcome } from "./orders";
import type { ShopifyProduct } from "./payload";

export const SKU_NEEDS_VERIFICATION = "sku_needs_verification";

/**
 * products/update: a SKU renamed or moved in Shopify silently breaks every future order of that variant, so the
 * mappings it touches are flagged for verification and raised as an exception naming each one.
 */
export async function flagProductChange(tx: DbOrTx, connection: ShopConnection, product: ShopifyProduct): Promise<Outcome> {
  const ctx = shopContext(connection);
  const variants = (product.variants ?? []).map((v) => ({
    variantId: toGid("ProductVariant", v.id) as string,
    sku: v.sku?.trim() || null,
    inventoryItemId: v.inventory_item_id ? toGid("InventoryItem", v.inventory_item_id) : null,
  }));
  const flagged = await flagChangedVariants(tx, ctx, variants);
  if (!flagged.length) return { outcome: "no_mapping_affected" };
  const title = product.title ? `'${product.title}'` : `product ${product.id}`;
  await tx.insert(operationalExceptions).values({
    id: newId("exc"),
    accountId: ctx.accountId,
    environment: ctx.environment,
    kind: SKU_NEEDS_VERIFICATION,
    message: `Shopify changed ${title}: ${flagged.map((f) => `${f.channelSku ?? f.variantId} → ${f.sku} (${f.reason})`).join("; ")}. Verify these SKU mappings.`,
    data: {
      channel: "shopify",
      shop: connection.shopDomain,
      product_id: product.id,
      mappings: flagged.map((f) => ({ id: f.id, channel_sku: f.channelSku, variant_id: f.variantId, account_sku: f.sku, reason: f.reason })),
      action_label: "Verify mappings",
      action_href: `/sku-map?account=${encodeURIComponent(ctx.accountId)}&env=${ctx.environment}&needs_verification=1`,
    },
  });
  return { outcome: `flagged_${flagged.length}_mappings` };
}

/**
 * After mappings were added or changed: every Shopify order of the account held for unmapped SKUs is tried again,
 * each in its own transaction (one that still lacks a mapping stays held; it does not stop the others).
 * Returns the ids of the orders released.
 */
export async function rerunHeldOrders(db: Db, ctx: Tenant & Partial<DomainContext>): Promise<string[]> {
  const held = await db
    .select({ channelOrder: channelOrders })
    .from(channelOrders)
    .innerJoin(orders, eq(orders.id, channelOrders.orderId))
    .where(
      and(
        eq(channelOrders.accountId, ctx.accountId),
        eq(channelOrders.environment, ctx.environment),
        eq(orders.status, "on_hold"),
        eq(orders.holdReason, UNMAPPED_SKU),
      ),
    )
    .orderBy(asc(orders.createdAt));
  const released: string[] = [];
  const domainCtx: DomainContext = { source: "dashboard", actor: "sku-map", ...ctx };
  for (const { channelOrder } of held) {
    try {
      if (await inTransaction(db, (tx) => rerunHeldOrder(tx, domainCtx, channelOrder))) released.push(channelOrder.orderId);
    } catch (error) {
      // The order stays held and visible; the next mapping change tries it again.
      console.error(`re-running held order ${channelOrder.orderId} failed`, error);
    }
  }
  return released;
}

export type UnmappedLine = {
  exceptionId: string;
  orderId: string | null;
  orderNumber: string | null;
  channelSku: string | null;
  variantId: string | null;
  title: string | null;
  href: string;
  createdAt: Date;
};

/** Channel lines waiting for a mapping (open unmapped-SKU exceptions of the account), each with its prefilled form. */
export async function listUnmappedLines(db: DbOrTx, ctx: Tenant): Promise<UnmappedLine[]> {
  const rows = await db
    .select({ exception: operationalExceptions, orderNumber: orders.orderNumber })
    .from(operationalExceptions)
    .leftJoin(orders, eq(orders.id, operationalExceptions.orderId))
    .where(
      and(
        eq(operationalExceptions.accountId, ctx.accountId),
        eq(operationalExceptions.environment, ctx.environment),
        eq(operationalExceptions.kind, UNMAPPED_SKU),
        eq(operationalExceptions.status, "open"),
      ),
    )
    .orderBy(asc(operationalExceptions.createdAt))
    .limit(200);
  return rows.flatMap(({ exception, orderNumber }) => {
    const lines = (exception.data?.unmapped as { channel_sku: string | null; variant_id: string | null; title: string | null; add_mapping_href: string }[] | undefined) ?? [];
    return lines.map((l) => ({
      exceptionId: exception.id,
      orderId: exception.orderId,
      orderNumber,
      channelSku: l.channel_sku,
      variantId: l.variant_id,
      title: l.title,
      href: l.add_mapping_href,
      createdAt: exception.createdAt,
    }));
  });
}
