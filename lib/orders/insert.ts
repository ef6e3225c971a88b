import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { statement } from "@/db/statement";
import { orderLines, orders, type Order, type OrderLine } from "@/db/schema";

export type NewOrder = Omit<Order, "createdAt" | "updatedAt" | "version" | "stageEnteredAt">;
export type NewOrderLine = Pick<
  OrderLine,
  "id" | "orderId" | "position" | "skuId" | "sku" | "channelSku" | "channelLineId" | "description" | "quantity" | "unitPrice" | "currency"
>;

/** A new order as the statement binds it: dates as ISO text, JSON and lists as JSON text. */
type InsertValues = Omit<NewOrder, "orderDate" | "shipTo" | "tags"> & { orderDate: string; shipTo: string; tags: string; lines: string };

const insertStatement = statement<InsertValues, { created_at: string; updated_at: string; version: number }>(
  (p) => sql`with o as (
      insert into ${orders} (id, account_id, environment, order_number, reference, channel, status, hold_reason, warehouse_id, shipping_method_id,
                             order_date, ship_to, signature_required, insurance, gift_message, packing_note, tags, request_hash)
      values (${p.id}, ${p.accountId}, ${p.environment}::environment, ${p.orderNumber}, ${p.reference}, ${p.channel},
              ${p.status}::order_status, ${p.holdReason}::text, ${p.warehouseId}::text, ${p.shippingMethodId}::text,
              ${p.orderDate}::timestamptz, ${p.shipTo}::text::jsonb, ${p.signatureRequired}::boolean,
              ${p.insurance}::boolean, ${p.giftMessage}::text, ${p.packingNote}::text,
              array(select jsonb_array_elements_text(${p.tags}::text::jsonb)), ${p.requestHash}::text)
      on conflict (account_id, environment, reference) do nothing
      returning id, created_at, updated_at, version
    ), l as (
      insert into ${orderLines} (id, order_id, position, sku_id, sku, channel_sku, channel_line_id, description, quantity, unit_price, currency)
      select x.id, o.id, x.position, x.sku_id, x.sku, x.channel_sku, x.channel_line_id, x.description, x.quantity, x.unit_price, x.currency
        from o, jsonb_to_recordset(${p.lines}::text::jsonb)
          as x(id text, position int, sku_id text, sku text, channel_sku text, channel_line_id text, description text, quantity int,
               unit_price numeric, currency text)
    )
    select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at,
           to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as updated_at, version
      from o`,
);

/**
 * Inserts a new order and its lines in ONE statement, unless the account already has an order with its reference
 * (then nothing is written and null comes back). The insert is the reference door of idempotent creation: it waits
 * on a concurrent duplicate's uncommitted index entry until that transaction ends.
 */
export async function insertOrder(tx: DbOrTx, order: NewOrder, lines: NewOrderLine[]): Promise<Order | null> {
  const [row] = await insertStatement(tx, {
    ...order,
    orderDate: order.orderDate.toISOString(),
    shipTo: JSON.stringify(order.shipTo),
    tags: JSON.stringify(order.tags),
    lines: JSON.stringify(
      lines.map((l) => ({
        id: l.id,
        position: l.position,
        sku_id: l.skuId,
        sku: l.sku,
        channel_sku: l.channelSku,
        channel_line_id: l.channelLineId,
        description: l.description,
        quantity: l.quantity,
        unit_price: l.unitPrice,
        currency: l.currency,
      })),
    ),
  });
  if (!row) return null;
  // stage_entered_at defaults to now(), the transaction's time, which is also created_at.
  const createdAt = new Date(row.created_at);
  return { ...order, createdAt, updatedAt: new Date(row.updated_at), stageEnteredAt: createdAt, version: Number(row.version) };
}
