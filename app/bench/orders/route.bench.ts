import type postgres from "postgres";
import { benchAccounts, benchSql, notFound } from "../database.bench";
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

// POST /bench/orders – the rows POST /v1/orders must write, by hand through postgres.js: idempotency row, order,
// 2 lines, and per line the conditional stock update with its ledger row, allocation and SKU stock clock, then one
// timeline row. The same SQL transaction without the app's layers (validation, auth, rate limit, the idempotency
// protocol, lookups, ORM, the fuller timeline): the ceiling of POST /v1/orders.
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
    .map((item, position) => ({ ...item, position, id: newId("oln"), skuId: ids.get(item.sku) }))
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
        id: l.id,
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
      // The stock row's balance after the move goes into the ledger; the SKU's clock dates the inventory feed.
      const [moved] = await tx<{ moved: number }[]>`
        with u as (
          update inventory_levels set allocated = allocated + ${l.quantity}, updated_at = now()
           where sku_id = ${l.skuId!} and warehouse_id = ${body.warehouse_id} and on_hand - allocated >= ${l.quantity}
          returning on_hand, allocated, incoming, backordered, quarantined
        ), ledger as (
          insert into inventory_ledger (id, account_id, environment, sku_id, warehouse_id, kind, source, ref_type, ref_id, delta_allocated, balance)
          select ${newId("led")}, ${accountId}, ${environment}, ${l.skuId!}, ${body.warehouse_id}, 'allocate', 'api', 'order', ${orderId}, ${l.quantity},
                 jsonb_build_object('onHand', on_hand, 'allocated', allocated, 'incoming', incoming, 'backordered', backordered, 'quarantined', quarantined)
            from u
        ), allocation as (
          insert into allocations (id, order_id, order_line_id, sku_id, warehouse_id, quantity)
          select ${newId("alc")}, ${orderId}, ${l.id}, ${l.skuId!}, ${body.warehouse_id}, ${l.quantity} from u
        ), clock as (
          update skus set updated_at = now() where id = ${l.skuId!} and exists (select 1 from u)
        )
        select count(*)::int as moved from u`;
      allocated &&= moved.moved === 1;
    }
    const orderStatus = allocated ? "received" : "backordered";
    await tx`insert into order_events (id, account_id, environment, order_id, type, source, status, message, actor, occurred_at)
             values (${newId("oev")}, ${accountId}, ${environment}, ${orderId}, 'order.received', 'api', ${orderStatus}, 'Order received', 'bench', now())`;
    return orderStatus;
  });
  return Response.json(
    { id: orderId, order_number: body.order_number, reference: body.reference, status, warehouse_id: body.warehouse_id, shipments: [] },
    { status: 201, headers: { Location: `/v1/orders/${orderId}` } },
  );
}
