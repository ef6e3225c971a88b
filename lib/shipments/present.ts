import { inArray, sql, type SQL } from "drizzle-orm";
import { alias, type AnyPgColumn } from "drizzle-orm/pg-core";
import { queryRows, type DbOrTx } from "@/db/client";
import { orders, shipmentItems, shipmentParcels, shipments } from "@/db/schema";
import type { ShipmentObject } from "./schema";

/**
 * A stored numeric ("12.4000") as the API's decimal string: at least two decimals, further digits only when they
 * carry value ("12.40", "0.125"), so no amount is ever rounded away. amountText is the same rule in SQL.
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

/** formatAmount for a numeric PostgreSQL renders itself: trailing zeros dropped down to two decimals. */
export function amountText(value: AnyPgColumn | SQL): SQL<string> {
  return sql<string>`round(${value}, greatest(scale(trim_scale(${value})), 2))::text`;
}

/** A timestamptz as Date.toISOString() writes it: UTC, milliseconds (truncated, as a JS Date holds them), Z. */
function isoMillis(column: AnyPgColumn): SQL<string> {
  return sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** The shipments columns the object is made of. */
export type ShipmentColumns = Record<
  "id" | "orderId" | "status" | "warehouseId" | "shippedAt" | "createdAt" | "updatedAt" | "costAmount" | "costCurrency" | "voided",
  AnyPgColumn
>;

const parcel = alias(shipmentParcels, "parcel");
const item = alias(shipmentItems, "item");
const parent = alias(orders, "parent_order");

/**
 * One parcel. weight and dimensions are optional in the contract: a parcel without them omits the keys rather
 * than sending null, which json_build_object cannot express, hence one object per combination.
 */
function parcelJson(): SQL {
  const base = sql`'tracking_number', ${parcel.trackingNumber}, 'tracking_url', ${parcel.trackingUrl}, 'carrier', ${parcel.carrier}, 'service', ${parcel.service}`;
  const weight = sql`nullif(${parcel.weight}, 'null'::jsonb)`;
  const dimensions = sql`nullif(${parcel.dimensions}, 'null'::jsonb)`;
  return sql`case when ${weight} is null and ${dimensions} is null then json_build_object(${base})
                  when ${dimensions} is null then json_build_object(${base}, 'weight', ${weight})
                  when ${weight} is null then json_build_object(${base}, 'dimensions', ${dimensions})
                  else json_build_object(${base}, 'weight', ${weight}, 'dimensions', ${dimensions}) end`;
}

/**
 * The API's shipment object (spec §3) as PostgreSQL json: the one definition of the document every shipment
 * stores (shipments.document), which GET /v1/shipments, the single shipment, orders' shipments and webhook
 * payloads all return. json, not jsonb, so that keys keep the contract's order. Parcels in box order, items in the order they were recorded (ids are time-ordered; "C"
 * compares them as JS does). Children are read by shipment_id through their indexes, one lookup per shipment.
 */
export function shipmentJson(s: ShipmentColumns): SQL<ShipmentObject> {
  return sql<ShipmentObject>`json_build_object(
    'id', ${s.id},
    'order_id', ${s.orderId},
    'order_number', coalesce((select ${parent.orderNumber} from ${orders} ${parent} where ${parent.id} = ${s.orderId}), ''),
    'status', ${s.status},
    'warehouse_id', ${s.warehouseId},
    'shipped_at', ${isoMillis(s.shippedAt)},
    'created_at', ${isoMillis(s.createdAt)},
    'updated_at', ${isoMillis(s.updatedAt)},
    'cost', case when ${s.costAmount} is null or coalesce(${s.costCurrency}, '') = '' then null
                 else json_build_object('amount', ${amountText(s.costAmount)}, 'currency', ${s.costCurrency}) end,
    'voided', ${s.voided},
    'parcels', coalesce((select json_agg(${parcelJson()} order by ${parcel.position}) from ${shipmentParcels} ${parcel} where ${parcel.shipmentId} = ${s.id}), '[]'),
    'items', coalesce((select json_agg(json_build_object('sku', ${item.sku}, 'quantity', ${item.quantity}) order by ${item.id} collate "C")
                         from ${shipmentItems} ${item} where ${item.shipmentId} = ${s.id}), '[]')
  )`;
}

/** Stores the documents of the shipments the subquery selects. Not a change: updated_at stays where it is. */
function storeDocumentsOf(which: SQL): SQL {
  return sql`update ${shipments} set document = ${shipmentJson(shipments)} where ${shipments.id} in (${which}) returning ${shipments.id}`;
}

/**
 * Stores the shipments' documents. Every write to a shipment, its parcels or its items calls it in the same
 * transaction, after the write and before anything (a webhook payload, the answer) reads the shipment back.
 */
export async function storeShipmentDocuments(tx: DbOrTx, shipmentIds: string[]): Promise<void> {
  if (!shipmentIds.length) return;
  await queryRows(tx, storeDocumentsOf(sql.join(shipmentIds.map((id) => sql`${id}`), sql`, `)));
}

/**
 * Renders a batch of the shipments stored before documents existed (or set back to null by a migration that
 * changes the object), through the partial index of unrendered rows. Returns how many it rendered.
 */
export async function storeMissingShipmentDocuments(db: DbOrTx, batch = 500): Promise<number> {
  const rows = await queryRows(db, storeDocumentsOf(sql`select id from ${shipments} where document is null order by id limit ${batch} for update skip locked`));
  return rows.length;
}

/** The shipments' documents rendered now from their tables, as JSON text by id, for rows that have none stored yet. */
export async function renderShipmentDocuments(db: DbOrTx, shipmentIds: string[]): Promise<Map<string, string>> {
  const rows = await queryRows<{ id: string; document: string }>(
    db,
    sql`select ${shipments.id}, ${shipmentJson(shipments)}::text as document from ${shipments} where ${inArray(shipments.id, shipmentIds)}`,
  );
  return new Map(rows.map((r) => [r.id, r.document]));
}

/** The shipments matching all the conditions (on the shipments table), presented, in the order given. */
export async function selectShipments(db: DbOrTx, conditions: SQL[], orderBy?: SQL): Promise<ShipmentObject[]> {
  const where = sql.join(conditions, sql` and `);
  const rows = await queryRows<{ shipment: ShipmentObject }>(
    db,
    // The stored document, or for a row stored before documents existed, rendered now.
    sql`select coalesce(${shipments.document}, ${shipmentJson(shipments)}) as shipment from ${shipments} where ${where}${orderBy ? sql` order by ${orderBy}` : sql``}`,
  );
  return rows.map((r) => r.shipment);
}

/** Shipments by id, presented, in the order of the ids given (missing ids are skipped). */
export async function loadShipmentsByIds(db: DbOrTx, shipmentIds: string[]): Promise<ShipmentObject[]> {
  if (!shipmentIds.length) return [];
  const found = await selectShipments(db, [inArray(shipments.id, shipmentIds)]);
  const byId = new Map(found.map((s) => [s.id, s]));
  return shipmentIds.map((id) => byId.get(id)).filter((s): s is ShipmentObject => Boolean(s));
}

/**
 * Each order's shipments, oldest first (voided ones included: they stay listed with voided: true), with their
 * order numbers read in the same statement.
 */
export async function loadShipmentsForOrders(db: DbOrTx, orderIds: string[]): Promise<Map<string, ShipmentObject[]>> {
  const out = new Map<string, ShipmentObject[]>(orderIds.map((id) => [id, []]));
  if (!orderIds.length) return out;
  const found = await selectShipments(db, [inArray(shipments.orderId, [...new Set(orderIds)])], sql`${shipments.createdAt}, ${shipments.id}`);
  for (const shipment of found) out.get(shipment.order_id)?.push(shipment);
  return out;
}
