import { and, asc, eq, gt, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { shippingMethods, warehouses, type ShippingMethod, type Warehouse, type Environment } from "@/db/schema";
import { decodeIdCursor, paginate, type Pagination } from "@/lib/api/pagination";
import type { ShippingMethodObject, WarehouseObject } from "./schema";

export function presentWarehouse(w: Warehouse): WarehouseObject {
  const a = w.address;
  return {
    id: w.id,
    name: w.name,
    code: w.code,
    address: { address1: a.address1, address2: a.address2 ?? null, city: a.city, state: a.state ?? null, postcode: a.postcode ?? null, country: a.country },
  };
}

export function presentShippingMethod(m: ShippingMethod): ShippingMethodObject {
  return { id: m.id, name: m.name, carrier: m.carrier, carrier_name: m.carrierName, service_code: m.serviceCode };
}

type ListInput = { environment: Environment; cursor?: string; limit: number };

/** The 3PL's warehouses of one environment (visible to every account of it), by id. */
export async function listWarehouses(db: DbOrTx, input: ListInput): Promise<{ data: WarehouseObject[]; pagination: Pagination }> {
  const after = decodeIdCursor(input.cursor);
  const conditions: SQL[] = [eq(warehouses.environment, input.environment)];
  if (after) conditions.push(gt(warehouses.id, after));
  const rows = await db.select().from(warehouses).where(and(...conditions)).orderBy(asc(warehouses.id)).limit(input.limit + 1);
  const { page, pagination } = paginate(rows, input.limit, (w) => ({ ts: "", id: w.id }));
  return { data: page.map(presentWarehouse), pagination };
}

/** The 3PL's shipping methods of one environment, by id. */
export async function listShippingMethods(db: DbOrTx, input: ListInput): Promise<{ data: ShippingMethodObject[]; pagination: Pagination }> {
  const after = decodeIdCursor(input.cursor);
  const conditions: SQL[] = [eq(shippingMethods.environment, input.environment)];
  if (after) conditions.push(gt(shippingMethods.id, after));
  const rows = await db.select().from(shippingMethods).where(and(...conditions)).orderBy(asc(shippingMethods.id)).limit(input.limit + 1);
  const { page, pagination } = paginate(rows, input.limit, (m) => ({ ts: "", id: m.id }));
  return { data: page.map(presentShippingMethod), pagination };
}
