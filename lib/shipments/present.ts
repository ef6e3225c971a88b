import { asc, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { orders, shipmentItems, shipmentParcels, shipments, type Order, type Shipment, type ShipmentItem, type ShipmentParcel } from "@/db/schema";
import type { Dimensions, Measure } from "@/db/schema";

export type MoneyObject = { amount: string; currency: string };

export type ParcelObject = {
  tracking_number: string;
  tracking_url: string | null;
  carrier: string | null;
  service: string | null;
  weight?: Measure;
  dimensions?: Dimensions;
};

/** The shipment exactly as the API returns it (spec §3, guide §2). */
export type ShipmentObject = {
  id: string;
  order_id: string;
  order_number: string;
  status: Shipment["status"];
  warehouse_id: string;
  shipped_at: string;
  created_at: string;
  updated_at: string;
  cost: MoneyObject | null;
  voided: boolean;
  parcels: ParcelObject[];
  items: { sku: string; quantity: number }[];
};

/**
 * A stored numeric ("12.4000") as the API's decimal string: at least two decimals, further digits only when they
 * carry value ("12.40", "0.125"), so no amount is ever rounded away.
 */
export function formatAmount(value: string | number): string {
  const text = typeof value === "number" ? value.toFixed(4) : value.trim();
  const negative = text.startsWith("-");
  const [whole, fraction = ""] = (negative ? text.slice(1) : text).split(".");
  const digits = fraction.replace(/0+$/, "").padEnd(2, "0");
  const intPart = whole.replace(/^0+(?=\d)/, "") || "0";
  const out = `${intPart}.${digits}`;
  return negative && /[1-9]/.test(out) ? `-${out}` : out;
}

export function presentMoney(amount: string | null | undefined, currency: string | null | undefined): MoneyObject | null {
  if (amount === null || amount === undefined || !currency) return null;
  return { amount: formatAmount(amount), currency };
}

export function presentParcel(parcel: ShipmentParcel): ParcelObject {
  return {
    tracking_number: parcel.trackingNumber,
    tracking_url: parcel.trackingUrl,
    carrier: parcel.carrier,
    service: parcel.service,
    // Optional in the contract: a parcel without a measured weight omits the key rather than sending null.
    ...(parcel.weight ? { weight: parcel.weight } : {}),
    ...(parcel.dimensions ? { dimensions: parcel.dimensions } : {}),
  };
}

/** Parcels in box order; items in the order they were recorded. */
export function presentShipment(
  shipment: Shipment,
  parcels: ShipmentParcel[],
  items: ShipmentItem[],
  order: Pick<Order, "orderNumber">,
): ShipmentObject {
  return {
    id: shipment.id,
    order_id: shipment.orderId,
    order_number: order.orderNumber,
    status: shipment.status,
    warehouse_id: shipment.warehouseId,
    shipped_at: shipment.shippedAt.toISOString(),
    created_at: shipment.createdAt.toISOString(),
    updated_at: shipment.updatedAt.toISOString(),
    cost: presentMoney(shipment.costAmount, shipment.costCurrency),
    voided: shipment.voided,
    parcels: [...parcels].sort((a, b) => a.position - b.position).map(presentParcel),
    items: [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((i) => ({ sku: i.sku, quantity: i.quantity })),
  };
}

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
}

/**
 * Presents already-fetched shipment rows with their parcels, items and order numbers in three queries whatever
 * the count. The caller has scoped the rows to a tenant; the child rows follow from the shipment ids.
 */
export async function presentShipmentRows(db: DbOrTx, rows: Shipment[], knownOrderNumbers?: Map<string, string>): Promise<ShipmentObject[]> {
  if (!rows.length) return [];
  const ids = rows.map((s) => s.id);
  const orderIds = [...new Set(rows.map((s) => s.orderId))].filter((id) => !knownOrderNumbers?.has(id));
  const [parcelRows, itemRows, orderRows] = await Promise.all([
    db.select().from(shipmentParcels).where(inArray(shipmentParcels.shipmentId, ids)),
    db.select().from(shipmentItems).where(inArray(shipmentItems.shipmentId, ids)),
    orderIds.length ? db.select({ id: orders.id, orderNumber: orders.orderNumber }).from(orders).where(inArray(orders.id, orderIds)) : Promise.resolve([]),
  ]);
  const parcelsBy = groupBy(parcelRows, (p) => p.shipmentId);
  const itemsBy = groupBy(itemRows, (i) => i.shipmentId);
  const numbers = new Map([...(knownOrderNumbers ?? []), ...orderRows.map((o) => [o.id, o.orderNumber] as const)]);
  return rows.map((s) => presentShipment(s, parcelsBy.get(s.id) ?? [], itemsBy.get(s.id) ?? [], { orderNumber: numbers.get(s.orderId) ?? "" }));
}

/** Shipments by id, presented, in the order of the ids given (missing ids are skipped). */
export async function loadShipmentsByIds(db: DbOrTx, shipmentIds: string[]): Promise<ShipmentObject[]> {
  if (!shipmentIds.length) return [];
  const rows = await db.select().from(shipments).where(inArray(shipments.id, shipmentIds));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return presentShipmentRows(
    db,
    shipmentIds.map((id) => byId.get(id)).filter((r): r is Shipment => Boolean(r)),
  );
}

/**
 * Each order's shipments, oldest first (voided ones included: they stay listed with voided: true).
 * Pass the orders' numbers when the caller has them, to save a query.
 */
export async function loadShipmentsForOrders(db: DbOrTx, orderIds: string[], orderNumbers?: Map<string, string>): Promise<Map<string, ShipmentObject[]>> {
  const out = new Map<string, ShipmentObject[]>(orderIds.map((id) => [id, []]));
  if (!orderIds.length) return out;
  const rows = await db
    .select()
    .from(shipments)
    .where(inArray(shipments.orderId, [...new Set(orderIds)]))
    .orderBy(asc(shipments.createdAt), asc(shipments.id));
  for (const shipment of await presentShipmentRows(db, rows, orderNumbers)) out.get(shipment.order_id)?.push(shipment);
  return out;
}
