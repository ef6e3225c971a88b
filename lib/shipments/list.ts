import { eq, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { DbOrTx } from "@/db/client";
import { statement, type Placeholders } from "@/db/statement";
import { shipments } from "@/db/schema";
import { NotFoundError } from "@/lib/api/errors";
import { changesOrder, changesValues, changesWhere, cursorTimestamp, pageInfo, readHorizon, type ChangesValues, type Pagination } from "@/lib/api/pagination";
import type { DomainContext } from "@/lib/context";
import { selectShipments, shipmentJson, type ShipmentObject } from "./present";

type Tenant = Pick<DomainContext, "accountId" | "environment">;

export type ListShipmentsInput = { updatedSince?: string; cursor?: string; limit: number; orderId?: string };

/** A page of shipments whose data array is JSON text (a ShipmentObject[]), ready to be written into the response. */
export type ShipmentPage = { dataJson: string; pagination: Pagination };

const page = alias(shipments, "page");

type PageValues = ChangesValues & { limit: number };
type PageRow = { data: string; has_more: boolean; cursor_ts: string | null; cursor_id: string | null };

/**
 * One statement: the keyset page (limit + 1 rows, an index range scan) numbered in page order, and over it the
 * page's objects aggregated into one JSON text with the last row's cursor position. Node never decodes a row of
 * the page: mapping every field of hundreds of rows cost more CPU than the page itself.
 */
function pageStatement<V extends PageValues>(filters: (p: Placeholders<V>) => SQL[] = () => []) {
  return statement<V, PageRow>((p) => {
    const order = sql.join(changesOrder(shipments), sql`, `);
    return sql`select coalesce(json_agg(${shipmentJson(page)} order by page.rn) filter (where page.rn <= ${p.limit}::int), '[]')::text as data,
               count(*) > ${p.limit}::int as has_more,
               max(${cursorTimestamp(page.updatedAt)}) filter (where page.rn = ${p.limit}::int) as cursor_ts,
               max(${page.id}) filter (where page.rn = ${p.limit}::int) as cursor_id
          from (select ${shipments}.*, row_number() over (order by ${order}) as rn
                  from ${shipments}
                 where ${changesWhere(shipments, p, filters(p))}
                 order by ${order}
                 limit ${p.limit}::int + 1) page`;
  });
}

const allShipmentsPage = pageStatement<PageValues>();
const orderShipmentsPage = pageStatement<PageValues & { orderId: string }>((p) => [sql`${shipments.orderId} = ${p.orderId}`]);

/**
 * The tenant's shipments changed since a point, oldest change first, commit-safe: rows of transactions still
 * in flight are held back by the horizon, so a poller that follows the cursors never misses one.
 */
export async function listShipments(db: DbOrTx, ctx: Tenant, input: ListShipmentsInput): Promise<ShipmentPage> {
  const values = { ...changesValues(ctx, input, await readHorizon(db)), limit: input.limit };
  const [row] = input.orderId ? await orderShipmentsPage(db, { ...values, orderId: input.orderId }) : await allShipmentsPage(db, values);
  const last = row.cursor_ts !== null && row.cursor_id !== null ? { ts: row.cursor_ts, id: row.cursor_id } : undefined;
  return { dataJson: row.data, pagination: pageInfo(row.has_more, last) };
}

/** One shipment of the tenant; another account's or environment's id is not found. */
export async function getShipment(db: DbOrTx, ctx: Tenant, id: string): Promise<ShipmentObject> {
  const [shipment] = await selectShipments(db, [eq(shipments.id, id), eq(shipments.accountId, ctx.accountId), eq(shipments.environment, ctx.environment)]);
  if (!shipment) throw new NotFoundError("Shipment", id);
  return shipment;
}
