import { and, asc, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { accounts, operationalExceptions, orderLines, orders, shippingMethods, shipments, warehouses, type Address } from "@/db/schema";
import { describeOrderStatus } from "@/lib/dashboard/plain-status";
import { displayTimeZone } from "@/lib/dashboard/time-zone";
import { getOrderTimeline } from "@/lib/events/timeline";
import { loadShipmentsForOrders } from "@/lib/shipments/present";
import type { ShipmentObject } from "@/lib/shipments/schema";
import type { OrderHeading } from "./search";

export type TimelineItem = {
  id: string;
  type: string;
  source: string;
  rawStatus: string | null;
  status: string | null;
  message: string;
  actor: string | null;
  stale: boolean;
  occurredAt: string;
  recordedAt: string;
};

export type OrderDetail = OrderHeading & {
  plainStatus: string;
  orderDate: string;
  createdAt: string;
  updatedAt: string;
  version: number;
  signatureRequired: boolean;
  insurance: boolean;
  giftMessage: string | null;
  packingNote: string | null;
  shipTo: Address;
  warehouse: { id: string; name: string; code: string; timezone: string } | null;
  shippingMethod: { id: string; name: string; carrierName: string } | null;
  items: { position: number; sku: string; channelSku: string | null; description: string | null; quantity: number; allocated: number; shipped: number }[];
  shipments: (ShipmentObject & { warehouseName: string | null; statusAt: string | null })[];
  timeline: TimelineItem[];
  openExceptions: { id: string; kind: string; message: string; createdAt: string }[];
};

/**
 * Everything the support page shows about one order, by its id, whatever the account or environment: the
 * dashboard is the 3PL's own view. Dates are ISO strings so the same object feeds the page and its JSON route.
 */
export async function getOrderDetail(db: DbOrTx, orderId: string): Promise<OrderDetail | null> {
  const [row] = await db
    .select({ order: orders, accountName: accounts.name })
    .from(orders)
    .innerJoin(accounts, eq(accounts.id, orders.accountId))
    .where(eq(orders.id, orderId));
  if (!row) return null;
  const { order } = row;

  const [lines, shipmentRows, shipmentsByOrder, events, exceptions, [warehouse], [method]] = await Promise.all([
    db.select().from(orderLines).where(eq(orderLines.orderId, order.id)).orderBy(asc(orderLines.position)),
    db.select().from(shipments).where(eq(shipments.orderId, order.id)).orderBy(asc(shipments.createdAt), asc(shipments.id)),
    loadShipmentsForOrders(db, [order.id]),
    getOrderTimeline(db, { orderId: order.id }),
    db
      .select()
      .from(operationalExceptions)
      .where(and(eq(operationalExceptions.orderId, order.id), eq(operationalExceptions.status, "open")))
      .orderBy(asc(operationalExceptions.createdAt)),
    order.warehouseId ? db.select().from(warehouses).where(eq(warehouses.id, order.warehouseId)) : Promise.resolve([]),
    order.shippingMethodId ? db.select().from(shippingMethods).where(eq(shippingMethods.id, order.shippingMethodId)) : Promise.resolve([]),
  ]);

  const presented = shipmentsByOrder.get(order.id) ?? [];
  const parcelCounts = new Map(presented.map((s) => [s.id, s.parcels.length]));
  const shipmentWarehouseIds = [...new Set(shipmentRows.map((s) => s.warehouseId))];
  const shipmentWarehouses = shipmentWarehouseIds.length
    ? await db.select({ id: warehouses.id, name: warehouses.name }).from(warehouses).where(inArray(warehouses.id, shipmentWarehouseIds))
    : [];
  const warehouseNames = new Map(shipmentWarehouses.map((w) => [w.id, w.name]));
  const statusAt = new Map(shipmentRows.map((s) => [s.id, s.statusOccurredAt]));

  // When the order reached its current status: the newest applied timeline event that says so.
  const reached = [...events].reverse().find((e) => !e.stale && e.status === order.status);
  const plainStatus = describeOrderStatus({
    status: order.status,
    holdReason: order.holdReason,
    createdAt: order.createdAt,
    statusSince: reached?.occurredAt ?? null,
    warehouseName: warehouse?.name ?? null,
    lines,
    shipments: shipmentRows.map((s) => ({
      status: s.status,
      shippedAt: s.shippedAt,
      statusAt: s.statusOccurredAt,
      parcelCount: parcelCounts.get(s.id) ?? 1,
    })),
    timeZone: displayTimeZone(),
  });

  const timeline = [...events]
    .sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime() || b.recordedAt.getTime() - a.recordedAt.getTime() || (a.id < b.id ? 1 : -1))
    .map((e) => ({
      id: e.id,
      type: e.type,
      source: e.source,
      rawStatus: e.rawStatus,
      status: e.status,
      message: e.message,
      actor: e.actor,
      stale: e.stale,
      occurredAt: e.occurredAt.toISOString(),
      recordedAt: e.recordedAt.toISOString(),
    }));

  return {
    id: order.id,
    orderNumber: order.orderNumber,
    reference: order.reference,
    channel: order.channel,
    status: order.status,
    holdReason: order.holdReason,
    plainStatus,
    accountId: order.accountId,
    accountName: row.accountName,
    environment: order.environment,
    orderDate: order.orderDate.toISOString(),
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
    version: order.version,
    signatureRequired: order.signatureRequired,
    insurance: order.insurance,
    giftMessage: order.giftMessage,
    packingNote: order.packingNote,
    shipTo: order.shipTo,
    warehouse: warehouse ? { id: warehouse.id, name: warehouse.name, code: warehouse.code, timezone: warehouse.timezone } : null,
    shippingMethod: method ? { id: method.id, name: method.name, carrierName: method.carrierName } : null,
    items: lines.map((l) => ({
      position: l.position,
      sku: l.sku,
      channelSku: l.channelSku,
      description: l.description,
      quantity: l.quantity,
      allocated: l.quantityAllocated,
      shipped: l.quantityShipped,
    })),
    shipments: presented.map((s) => ({
      ...s,
      warehouseName: warehouseNames.get(s.warehouse_id) ?? null,
      statusAt: statusAt.get(s.id)?.toISOString() ?? null,
    })),
    timeline,
    openExceptions: exceptions.map((x) => ({ id: x.id, kind: x.kind, message: x.message, createdAt: x.createdAt.toISOString() })),
  };
}
