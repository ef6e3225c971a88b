import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import type { Placeholders } from "@/db/statement";
import { shippingMethods, skus, warehouses, type ShippingMethod, type Warehouse } from "@/db/schema";
import { DomainError, truncate } from "@/lib/errors";
import type { Tenant } from "@/lib/context";

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
  return skuIdsOf(items, rows, unknown);
}

function skuIdsOf(items: { sku: string }[], found: { id: string; sku: string }[], unknown: "reject" | "keep"): (string | null)[] {
  const byCode = new Map(found.map((r) => [r.sku, r.id]));
  const out = items.map((i) => byCode.get(i.sku) ?? null);
  const missing = out.indexOf(null);
  if (missing >= 0 && unknown === "reject") {
    throw new DomainError("unknown_sku", `SKU '${truncate(items[missing].sku)}' is not a SKU of this account.`, `items[${missing}].sku`);
  }
  return out;
}

export async function resolveWarehouse(db: DbOrTx, ctx: Tenant, id: string): Promise<Warehouse> {
  const [row] = await db
    .select()
    .from(warehouses)
    .where(and(eq(warehouses.id, id), eq(warehouses.environment, ctx.environment)));
  return knownWarehouse(id, row);
}

function knownWarehouse<W>(id: string, found: W | null | undefined): W {
  if (!found) throw new DomainError("invalid_warehouse", `warehouse_id '${truncate(id)}' is not a known warehouse.`, "warehouse_id");
  return found;
}

type MethodInput = { shipping_method_id?: string; shipping_method?: string };

/**
 * The shipping method by id, else by name (case-insensitive), else — when neither is given — the
 * environment's default (null if it has none). When both are given they must name the same method.
 */
export async function resolveShippingMethod(db: DbOrTx, ctx: Tenant, input: MethodInput): Promise<ShippingMethod | null> {
  if (input.shipping_method_id !== undefined) {
    const [row] = await db
      .select()
      .from(shippingMethods)
      .where(and(eq(shippingMethods.id, input.shipping_method_id), eq(shippingMethods.environment, ctx.environment)));
    return checkedMethod(input, row);
  }
  if (input.shipping_method !== undefined) {
    const [row] = await db
      .select()
      .from(shippingMethods)
      .where(and(eq(shippingMethods.environment, ctx.environment), sql`lower(${shippingMethods.name}) = lower(${input.shipping_method})`))
      .orderBy(desc(shippingMethods.isDefault), asc(shippingMethods.id))
      .limit(1);
    return checkedMethod(input, row);
  }
  return defaultShippingMethod(db, ctx);
}

/** The method found for the input by resolveShippingMethod's rule, or the error that rule gives. */
function checkedMethod<M extends { id: string; name: string }>(input: MethodInput, found: M | null | undefined): M | null {
  const { shipping_method_id: id, shipping_method: name } = input;
  if (id !== undefined) {
    if (!found) throw new DomainError("invalid_shipping_method", `shipping_method_id '${truncate(id)}' is not a known shipping method.`, "shipping_method_id");
    if (name !== undefined && found.name.toLowerCase() !== name.toLowerCase()) {
      throw new DomainError("invalid_shipping_method", `shipping_method '${truncate(name)}' does not name shipping_method_id '${found.id}'.`, "shipping_method");
    }
  } else if (name !== undefined && !found) {
    throw new DomainError("invalid_shipping_method", `shipping_method '${truncate(name)}' is not a known shipping method.`, "shipping_method");
  }
  return found ?? null;
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

export type OrderReferences = {
  skuIds: (string | null)[];
  warehouse: { id: string; name: string } | null;
  method: { id: string; name: string } | null;
};

/** json columns arrive parsed from PGlite and as text from postgres.js (Drizzle maps json itself). */
function parsed<T>(value: unknown): T | null {
  if (value === null || value === undefined) return null;
  return (typeof value === "string" ? JSON.parse(value) : value) as T;
}

type ReferencedBody = { items: { sku: string }[]; warehouse_id?: string; shipping_method_id?: string; shipping_method?: string };
type ReferenceRow = { skus: unknown; warehouse: unknown; method: unknown };

/** The values orderReferenceColumns looks up: SKU codes as one JSON text, so the statement text never depends on their count. */
export type ReferenceValues = Tenant & { skuCodes: string; warehouseId: string | null; methodId: string | null; methodName: string | null };

export function referenceValues(ctx: Tenant, body: ReferencedBody): ReferenceValues {
  return {
    accountId: ctx.accountId,
    environment: ctx.environment,
    skuCodes: JSON.stringify([...new Set(body.items.map((i) => i.sku))]),
    warehouseId: body.warehouse_id ?? null,
    methodId: body.shipping_method_id ?? null,
    methodName: body.shipping_method ?? null,
  };
}

/**
 * The select-list columns (skus, warehouse, method) that look up everything an order body names, for a statement
 * of the caller's (see db/statement.ts; values from referenceValues); readOrderReferences turns them into ids and errors.
 */
export function orderReferenceColumns(p: Placeholders<ReferenceValues>): SQL {
  return sql`(select json_agg(json_build_object('id', s.id, 'sku', s.sku)) from ${skus} s
        where s.account_id = ${p.accountId} and s.environment = ${p.environment}::environment
          and s.sku in (select jsonb_array_elements_text(${p.skuCodes}::text::jsonb))) as skus,
      (select json_build_object('id', w.id, 'name', w.name) from ${warehouses} w
        where w.id = ${p.warehouseId}::text and w.environment = ${p.environment}::environment) as warehouse,
      (select json_build_object('id', m.id, 'name', m.name) from ${shippingMethods} m
        where m.environment = ${p.environment}::environment
          and case when ${p.methodId}::text is not null then m.id = ${p.methodId}::text
                   when ${p.methodName}::text is not null then lower(m.name) = lower(${p.methodName}::text)
                   else m.is_default end
        order by m.is_default desc, m.id limit 1) as method`;
}

/**
 * The ids the body's references resolved to, with the same answers and errors as resolveSkus, resolveWarehouse
 * and resolveShippingMethod, checked in that order.
 */
export function readOrderReferences(row: ReferenceRow, body: ReferencedBody, unknownSkus: "reject" | "keep"): OrderReferences {
  const skuIds = skuIdsOf(body.items, parsed<{ id: string; sku: string }[]>(row.skus) ?? [], unknownSkus);
  const found = parsed<{ id: string; name: string }>(row.warehouse);
  const warehouse = body.warehouse_id !== undefined ? knownWarehouse(body.warehouse_id, found) : null;
  const method = checkedMethod(body, parsed<{ id: string; name: string }>(row.method));
  return { skuIds, warehouse, method };
}
