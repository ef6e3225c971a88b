import type postgres from "postgres";
import { benchAccounts, benchSql, notFound } from "../gate";
import { newId } from "@/lib/ids";

type BenchOrderBody = {
  order_number: string;
  reference: string;
  warehouse_id: string;
  shipping_method_id: string;
  ship_to: Record<string, unknown>;
  items: { sku: string; quantity: number; unit_price?: string; currency?: string }[];
};

// SKU codes of the bench account never change during a run: looked up once per process.
let skuIds: Promise<Map<string, string>> | undefined;

// POST /bench/orders – the order-create transaction alone (idempotency row, order, 2 lines, 2 conditional stock
// updates, timeline row, outbox row) through postgres.js, the ceiling of POST /v1/orders
export async function POST(request: Request) {
  const sql = benchSql();
  if (!sql) return notFound();
  const body = (await request.json()) as BenchOrderBody;
  const { orders: accountId, environment } = benchAccounts;
  skuIds ??= sql<{ id: string; sku: string }[]>`select id, sku from skus where account_id = ${accountId} and environment = ${environment}`.then(
    (rows) => new Map(rows.map((r) => [r.sku, r.id])),
  );
  const ids = await skuIds;
  // Stock rows are updated in SKU order, as lockStock does: no deadlock between two orders of the same SKUs.
  const lines = body.items
    .map((item, position) => ({ ...item, position, skuId: ids.get(item.sku) }))
    .sort((a, b) => ((a.skuId ?? "") < (b.skuId ?? "") ? -1 : 1));
  if (lines.some((l) => !l.skuId)) return Response.json({ error: { code: "unknown_sku" } }, { status: 422 });

  const orderId = newId("ord");
  const idempotencyKey = request.headers.get("idempotency-key") ?? body.reference;
  const status = await sql.begin(async (tx) => {
    await tx`insert into idempotency_keys (id, account_id, environment, key, request_hash, state, order_id, expires_at)
             values (${newId("idk")}, ${accountId}, ${environment}, ${idempotencyKey}, ${body.reference}, 'completed', ${orderId}, now() + interval '7 days')`;
    await tx`insert into orders (id, account_id, environment, order_number, reference, channel, status, warehouse_id, shipping_method_id, order_date, ship_to)
             values (${orderId}, ${accountId}, ${environment}, ${body.order_number}, ${body.reference}, 'api', 'received', ${body.warehouse_id},
                     ${body.shipping_method_id}, now(), ${tx.json(body.ship_to as postgres.JSONValue)})`;
    await tx`insert into order_lines ${tx(
      lines.map((l) => ({
        id: newId("oln"),
        order_id: orderId,
        position: l.position,
        sku_id: l.skuId!,
        sku: l.sku,
        quantity: l.quantity,
        quantity_allocated: l.quantity,
        unit_price: l.unit_price ?? null,
        currency: l.currency ?? null,
      })),
    )}`;
    let allocated = true;
    for (const l of lines) {
      const moved = await tx`update inventory_levels set allocated = allocated + ${l.quantity}, updated_at = now()
                              where sku_id = ${l.skuId!} and warehouse_id = ${body.warehouse_id} and on_hand - allocated >= ${l.quantity}`;
      allocated &&= moved.count === 1;
    }
    const orderStatus = allocated ? "received" : "backordered";
    await tx`insert into order_events (id, account_id, environment, order_id, type, source, status, message, actor, occurred_at)
             values (${newId("oev")}, ${accountId}, ${environment}, ${orderId}, 'order.received', 'api', ${orderStatus}, 'Order received', 'bench', now())`;
    await tx`insert into outbox_events (id, account_id, environment, type, payload)
             values (${newId("evt")}, ${accountId}, ${environment}, 'order.updated', ${tx.json({ id: orderId, reference: body.reference, status: orderStatus })})`;
    return orderStatus;
  });
  return Response.json(
    { id: orderId, order_number: body.order_number, reference: body.reference, status, warehouse_id: body.warehouse_id, shipments: [] },
    { status: 201, headers: { Location: `/v1/orders/${orderId}` } },
  );
}
