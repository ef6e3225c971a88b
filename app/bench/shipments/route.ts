import { benchAccounts, benchSql, notFound } from "../gate";

type ShipmentRow = {
  id: string;
  order_id: string;
  status: string;
  warehouse_id: string;
  voided: boolean;
  shipped_at: Date;
  created_at: Date;
  updated_at: Date;
  cursor_ts: string;
  cost_amount: string | null;
  cost_currency: string | null;
};
type ParcelRow = {
  shipment_id: string;
  position: number;
  tracking_number: string;
  tracking_url: string | null;
  carrier: string | null;
  service: string | null;
  weight: unknown;
  dimensions: unknown;
};
type ItemRow = { shipment_id: string; sku: string; quantity: number };

function group<T extends { shipment_id: string }>(rows: T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const list = out.get(row.shipment_id);
    if (list) list.push(row);
    else out.set(row.shipment_id, [row]);
  }
  return out;
}

// GET /bench/shipments?ts=…&id=…&limit=100 – one keyset page of shipments with parcels, items and order
// numbers through postgres.js, mapped to the API's JSON by hand: the ceiling of GET /v1/shipments
export async function GET(request: Request) {
  const sql = benchSql();
  if (!sql) return notFound();
  const params = new URL(request.url).searchParams;
  const limit = Math.min(200, Number(params.get("limit") || 100));
  const ts = params.get("ts") || "1970-01-01T00:00:00Z";
  const id = params.get("id") || "";
  const { shipments: accountId, environment } = benchAccounts;
  const rows = await sql<ShipmentRow[]>`
    select id, order_id, status, warehouse_id, voided, shipped_at, created_at, updated_at, cost_amount, cost_currency,
           to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_ts
      from shipments
     where account_id = ${accountId} and environment = ${environment} and (updated_at, id) > (${ts}::timestamptz, ${id})
     order by updated_at, id
     limit ${limit + 1}`;
  const page = rows.slice(0, limit);
  const ids = page.map((r) => r.id);
  const orderIds = [...new Set(page.map((r) => r.order_id))];
  const [parcels, items, orders] = await Promise.all([
    sql<ParcelRow[]>`select shipment_id, position, tracking_number, tracking_url, carrier, service, weight, dimensions
                       from shipment_parcels where shipment_id = any(${ids}) order by shipment_id, position`,
    sql<ItemRow[]>`select shipment_id, sku, quantity from shipment_items where shipment_id = any(${ids}) order by shipment_id, id`,
    sql<{ id: string; order_number: string }[]>`select id, order_number from orders where id = any(${orderIds})`,
  ]);
  const parcelsBy = group(parcels);
  const itemsBy = group(items);
  const numbers = new Map(orders.map((o) => [o.id, o.order_number]));
  const last = page[page.length - 1];
  return Response.json({
    data: page.map((s) => ({
      id: s.id,
      order_id: s.order_id,
      order_number: numbers.get(s.order_id) ?? "",
      status: s.status,
      warehouse_id: s.warehouse_id,
      shipped_at: s.shipped_at.toISOString(),
      created_at: s.created_at.toISOString(),
      updated_at: s.updated_at.toISOString(),
      cost: s.cost_amount && s.cost_currency ? { amount: s.cost_amount, currency: s.cost_currency } : null,
      voided: s.voided,
      parcels: (parcelsBy.get(s.id) ?? []).map((p) => ({
        tracking_number: p.tracking_number,
        tracking_url: p.tracking_url,
        carrier: p.carrier,
        service: p.service,
        weight: p.weight,
        dimensions: p.dimensions,
      })),
      items: (itemsBy.get(s.id) ?? []).map((i) => ({ sku: i.sku, quantity: i.quantity })),
    })),
    pagination: { next_cursor: rows.length > limit && last ? `${last.cursor_ts}|${last.id}` : null, has_more: rows.length > limit },
  });
}
