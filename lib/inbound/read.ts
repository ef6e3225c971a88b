import { and, asc, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { inboundItems, inboundShipments, type InboundItem, type InboundShipment } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";
import { changesPage, type FeedReader, type Pagination } from "@/lib/api/pagination";
import type { Tenant } from "@/lib/context";
import type { InboundObject } from "./schema";

/** The inbound shipment as the API returns it (guide §5a). */
export function presentInbound(row: InboundShipment, items: InboundItem[]): InboundObject {
  return {
    id: row.id,
    reference: row.reference,
    status: row.status,
    warehouse_id: row.warehouseId,
    supplier: row.supplier,
    expected_at: row.expectedAt,
    received_at: row.receivedAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    items: [...items]
      .sort((a, b) => a.position - b.position)
      .map((i) => ({
        sku: i.sku,
        expected_quantity: i.expectedQuantity,
        received_quantity: i.receivedQuantity,
        discrepancy: i.receivedQuantity - i.expectedQuantity,
      })),
  };
}

export async function presentInboundRows(db: DbOrTx, rows: InboundShipment[]): Promise<InboundObject[]> {
  if (!rows.length) return [];
  const items = await db
    .select()
    .from(inboundItems)
    .where(
      inArray(
        inboundItems.inboundShipmentId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(inboundItems.inboundShipmentId), asc(inboundItems.position));
  return rows.map((r) =>
    presentInbound(
      r,
      items.filter((i) => i.inboundShipmentId === r.id),
    ),
  );
}

export async function loadInbound(db: DbOrTx, ctx: Tenant, id: string): Promise<InboundObject> {
  const [row] = await db
    .select()
    .from(inboundShipments)
    .where(and(eq(inboundShipments.id, id), eq(inboundShipments.accountId, ctx.accountId), eq(inboundShipments.environment, ctx.environment)));
  if (!row) throw new NotFoundError("Inbound shipment", id);
  const [presented] = await presentInboundRows(db, [row]);
  return presented;
}

export type ListInboundQuery = { limit: number; cursor?: string; updated_since?: string; status?: InboundShipment["status"]; reference?: string };

/** GET /v1/inbound-shipments: by updated_at then id, commit-safe (see changesPage). */
export async function listInbound(db: DbOrTx, ctx: FeedReader, query: ListInboundQuery): Promise<{ data: InboundObject[]; pagination: Pagination }> {
  const t = inboundShipments;
  const { rows, pagination } = await changesPage(db, t, ctx, { limit: query.limit, cursor: query.cursor, updatedSince: query.updated_since }, [
    query.status ? eq(t.status, query.status) : undefined,
    query.reference ? eq(t.reference, query.reference) : undefined,
  ]);
  return { data: await presentInboundRows(db, rows), pagination };
}
