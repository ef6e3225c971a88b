import { sql } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { orderLines, orders, type Order, type OrderLine } from "@/db/schema";

export type NewOrder = Omit<Order, "createdAt" | "updatedAt" | "version">;
export type NewOrderLine = Pick<
  OrderLine,
  "id" | "orderId" | "position" | "skuId" | "sku" | "channelSku" | "channelLineId" | "description" | "quantity" | "unitPrice" | "currency"
>;

/**
 * Inserts a new order and its lines in ONE statement, unless the account already has an order with its reference
 * (then nothing is written and null comes back). The insert is the reference door of idempotent creation: it waits
 * on a concurrent duplicate's uncommitted index entry until that transaction ends.
 * Lines go in as one JSON parameter, so the statement text is the same whatever their count (prepared once).
 */
export async function insertOrder(tx: DbOrTx, order: NewOrder, lines: NewOrderLine[]): Promise<Order | null> {
  const lineRows = JSON.stringify(
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
  );
  const [row] = await queryRows<{ created_at: string; updated_at: string; version: number }>(
    tx,
    sql`with o as (
          insert into ${orders} (id, account_id, environment, order_number, reference, channel, status, hold_reason, warehouse_id, shipping_method_id,
                                 order_date, ship_to, signature_required, insurance, gift_message, packing_note, tags, request_hash)
          values (${order.id}, ${order.accountId}, ${order.environment}::environment, ${order.orderNumber}, ${order.reference}, ${order.channel},
                  ${order.status}::order_status, ${order.holdReason}::text, ${order.warehouseId}::text, ${order.shippingMethodId}::text,
                  ${order.orderDate.toISOString()}::timestamptz, ${JSON.stringify(order.shipTo)}::text::jsonb, ${order.signatureRequired}::boolean,
                  ${order.insurance}::boolean, ${order.giftMessage}::text, ${order.packingNote}::text,
                  array(select jsonb_array_elements_text(${JSON.stringify(order.tags)}::text::jsonb)), ${order.requestHash}::text)
          on conflict (account_id, environment, reference) do nothing
          returning id, created_at, updated_at, version
        ), l as (
          insert into ${orderLines} (id, order_id, position, sku_id, sku, channel_sku, channel_line_id, description, quantity, unit_price, currency)
          select x.id, o.id, x.position, x.sku_id, x.sku, x.channel_sku, x.channel_line_id, x.description, x.quantity, x.unit_price, x.currency
            from o, jsonb_to_recordset(${lineRows}::text::jsonb)
              as x(id text, position int, sku_id text, sku text, channel_sku text, channel_line_id text, description text, quantity int,
                   unit_price numeric, currency text)
        )
        select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at,
               to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as updated_at, version
          from o`,
  );
  if (!row) return null;
  return { ...order, createdAt: new Date(row.created_at), updatedAt: new Date(row.updated_at), version: Number(row.version) };
}
