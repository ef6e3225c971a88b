import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { shipments, type Shipment } from "@/db/schema";
import { NotFoundError } from "@/lib/api/errors";
import { changesPage, type Pagination } from "@/lib/api/pagination";
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
  const { rows, pagination } = await changesPage(db, shipments, ctx, input, [input.orderId ? eq(shipments.orderId, input.orderId) : undefined]);
  return { data: await presentShipmentRows(db, rows), pagination };
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
