import { and, asc, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { shipments, type Shipment } from "@/db/schema";
import { NotFoundError } from "@/lib/api/errors";
import { cursorTimestamp, keysetConditions, paginate, readHorizon, type Pagination } from "@/lib/api/pagination";
import type { DomainContext } from "@/lib/context";
import { presentShipmentRows, type ShipmentObject } from "./present";

type Tenant = Pick<DomainContext, "accountId" | "environment">;

export type ListShipmentsInput = { updatedSince?: string; cursor?: string; limit: number; orderId?: string };

/**
 * The tenant's shipments changed since a point, oldest change first, commit-safe: rows of transactions still
 * in flight are held back by the horizon, so a poller that follows the cursors never misses one. Parcels,
 * items and order numbers of the page come in three more queries, whatever the page size.
 */
export async function listShipments(db: DbOrTx, ctx: Tenant, input: ListShipmentsInput): Promise<{ data: ShipmentObject[]; pagination: Pagination }> {
  const horizon = await readHorizon(db);
  const conditions = [
    eq(shipments.accountId, ctx.accountId),
    eq(shipments.environment, ctx.environment),
    ...keysetConditions(shipments, { cursor: input.cursor, updatedSince: input.updatedSince, horizon }),
  ];
  if (input.orderId) conditions.push(eq(shipments.orderId, input.orderId));
  const rows = await db
    .select({ shipment: shipments, ts: cursorTimestamp(shipments.updatedAt) })
    .from(shipments)
    .where(and(...conditions))
    .orderBy(asc(shipments.updatedAt), asc(shipments.id))
    .limit(input.limit + 1);
  const { page, pagination } = paginate(rows, input.limit, (r) => ({ ts: r.ts, id: r.shipment.id }));
  return { data: await presentShipmentRows(db, page.map((r) => r.shipment)), pagination };
}

/** One shipment of the tenant; another account's or environment's id is not found. */
export async function getShipment(db: DbOrTx, ctx: Tenant, id: string): Promise<ShipmentObject> {
  const rows: Shipment[] = await db
    .select()
    .from(shipments)
    .where(and(eq(shipments.id, id), eq(shipments.accountId, ctx.accountId), eq(shipments.environment, ctx.environment)));
  if (!rows.length) throw new NotFoundError("Shipment", id);
  const [shipment] = await presentShipmentRows(db, rows);
  return shipment;
}
