import { and, asc, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { orderLines, orders, type Address, type Order, type OrderLine } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";
import type { Tenant } from "@/lib/context";
import { formatAmount, loadShipmentsForOrders } from "@/lib/shipments/present";
import type { ShipmentObject } from "@/lib/shipments/schema";
import type { AddressObject, OrderObject } from "./schema";

/** Every key present, absent ones as null: partners map a fixed shape. */
export function presentAddress(address: Address): AddressObject {
  return {
    name: address.name ?? null,
    company: address.company ?? null,
    email: address.email ?? null,
    phone: address.phone ?? null,
    address1: address.address1,
    address2: address.address2 ?? null,
    city: address.city,
    state: address.state ?? null,
    postcode: address.postcode ?? null,
    country: address.country,
  };
}

/** The fields of a line the API shows. */
export type PresentedLine = Pick<OrderLine, "position" | "sku" | "description" | "quantity" | "quantityShipped" | "unitPrice" | "currency">;

/** The order exactly as the API returns it (spec §2). */
export function presentOrder(order: Order, lines: PresentedLine[], shipments: ShipmentObject[]): OrderObject {
  return {
    id: order.id,
    order_number: order.orderNumber,
    reference: order.reference,
    channel: order.channel,
    status: order.status,
    hold_reason: order.holdReason,
    warehouse_id: order.warehouseId,
    shipping_method_id: order.shippingMethodId,
    order_date: order.orderDate.toISOString(),
    ship_to: presentAddress(order.shipTo),
    items: [...lines]
      .sort((a, b) => a.position - b.position)
      .map((l) => ({
        sku: l.sku,
        description: l.description,
        quantity: l.quantity,
        quantity_shipped: l.quantityShipped,
        unit_price: l.unitPrice === null ? null : formatAmount(l.unitPrice),
        currency: l.currency,
      })),
    signature_required: order.signatureRequired,
    insurance: order.insurance,
    gift_message: order.giftMessage,
    packing_note: order.packingNote,
    version: String(order.version),
    created_at: order.createdAt.toISOString(),
    updated_at: order.updatedAt.toISOString(),
    shipments,
  };
}

/** Presents already-fetched (tenant-scoped) order rows with their lines and shipments, in the rows' order. */
export async function presentOrderRows(db: DbOrTx, rows: Order[]): Promise<OrderObject[]> {
  if (!rows.length) return [];
  const ids = rows.map((o) => o.id);
  const [lineRows, shipmentsBy] = await Promise.all([
    db.select().from(orderLines).where(inArray(orderLines.orderId, ids)).orderBy(asc(orderLines.orderId), asc(orderLines.position)),
    loadShipmentsForOrders(db, ids),
  ]);
  const linesBy = new Map<string, OrderLine[]>();
  for (const line of lineRows) {
    const list = linesBy.get(line.orderId);
    if (list) list.push(line);
    else linesBy.set(line.orderId, [line]);
  }
  return rows.map((o) => presentOrder(o, linesBy.get(o.id) ?? [], shipmentsBy.get(o.id) ?? []));
}

/** The order row of the tenant, or undefined (another account's or environment's id does not exist here). */
export async function findOrderRow(db: DbOrTx, ctx: Tenant, id: string): Promise<Order | undefined> {
  const [row] = await db
    .select()
    .from(orders)
    .where(and(eq(orders.id, id), eq(orders.accountId, ctx.accountId), eq(orders.environment, ctx.environment)));
  return row;
}

/** One order of the tenant as the API returns it; NotFoundError for anyone else's id. */
export async function loadOrder(db: DbOrTx, ctx: Tenant, id: string): Promise<OrderObject> {
  const row = await findOrderRow(db, ctx, id);
  if (!row) throw new NotFoundError("Order", id);
  const [presented] = await presentOrderRows(db, [row]);
  return presented;
}
