import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { shippingMethods, skus, warehouses, type ShippingMethod, type Warehouse } from "@/db/schema";
import { ApiError, truncate } from "@/lib/api/errors";
import type { DomainContext } from "@/lib/context";

type Tenant = Pick<DomainContext, "accountId" | "environment">;

/**
 * The account's SKU id for each requested SKU, in item order; null where the account has no such SKU.
 * With `reject`, the first unknown one fails the whole request (never a partial order).
 */
export async function resolveSkus(db: DbOrTx, ctx: Tenant, items: { sku: string }[], unknown: "reject" | "keep" = "reject"): Promise<(string | null)[]> {
  const wanted = [...new Set(items.map((i) => i.sku))];
  const rows = await db
    .select({ id: skus.id, sku: skus.sku })
    .from(skus)
    .where(and(eq(skus.accountId, ctx.accountId), eq(skus.environment, ctx.environment), inArray(skus.sku, wanted)));
  const byCode = new Map(rows.map((r) => [r.sku, r.id]));
  const out = items.map((i) => byCode.get(i.sku) ?? null);
  const missing = out.findIndex((id) => id === null);
  if (missing >= 0 && unknown === "reject") {
    throw new ApiError("unknown_sku", `SKU '${truncate(items[missing].sku)}' is not a SKU of this account.`, `items[${missing}].sku`);
  }
  return out;
}

export async function resolveWarehouse(db: DbOrTx, ctx: Tenant, id: string): Promise<Warehouse> {
  const [row] = await db
    .select()
    .from(warehouses)
    .where(and(eq(warehouses.id, id), eq(warehouses.environment, ctx.environment)));
  if (!row) throw new ApiError("invalid_warehouse", `warehouse_id '${truncate(id)}' is not a known warehouse.`, "warehouse_id");
  return row;
}

/**
 * The shipping method by id, else by name (case-insensitive), else — when neither is given — the
 * environment's default (null if it has none). When both are given they must name the same method.
 */
export async function resolveShippingMethod(
  db: DbOrTx,
  ctx: Tenant,
  input: { shipping_method_id?: string; shipping_method?: string },
): Promise<ShippingMethod | null> {
  if (input.shipping_method_id !== undefined) {
    const [row] = await db
      .select()
      .from(shippingMethods)
      .where(and(eq(shippingMethods.id, input.shipping_method_id), eq(shippingMethods.environment, ctx.environment)));
    if (!row) {
      throw new ApiError("invalid_shipping_method", `shipping_method_id '${truncate(input.shipping_method_id)}' is not a known shipping method.`, "shipping_method_id");
    }
    if (input.shipping_method !== undefined && row.name.toLowerCase() !== input.shipping_method.toLowerCase()) {
      throw new ApiError("invalid_shipping_method", `shipping_method '${truncate(input.shipping_method)}' does not name shipping_method_id '${row.id}'.`, "shipping_method");
    }
    return row;
  }
  if (input.shipping_method !== undefined) {
    const [row] = await db
      .select()
      .from(shippingMethods)
      .where(and(eq(shippingMethods.environment, ctx.environment), sql`lower(${shippingMethods.name}) = lower(${input.shipping_method})`))
      .orderBy(desc(shippingMethods.isDefault), asc(shippingMethods.id))
      .limit(1);
    if (!row) throw new ApiError("invalid_shipping_method", `shipping_method '${truncate(input.shipping_method)}' is not a known shipping method.`, "shipping_method");
    return row;
  }
  return defaultShippingMethod(db, ctx);
}

export async function defaultShippingMethod(db: DbOrTx, ctx: Tenant): Promise<ShippingMethod | null> {
  const [row] = await db
    .select()
    .from(shippingMethods)
    .where(and(eq(shippingMethods.environment, ctx.environment), eq(shippingMethods.isDefault, true)))
    .orderBy(asc(shippingMethods.id))
    .limit(1);
  return row ?? null;
}
