import { eq, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { statement, type Placeholders } from "@/db/statement";
import { shipments } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";
import { changesOrder, changesValues, changesWhere, cursorTimestamp, horizonFor, paginate, type ChangesValues, type FeedReader, type Pagination } from "@/lib/api/pagination";
import type { Tenant } from "@/lib/context";
import { renderShipmentDocuments, selectShipments } from "./present";
import type { ShipmentObject } from "./schema";

export type ListShipmentsInput = { updatedSince?: string; cursor?: string; limit: number; orderId?: string };

/** A page of shipments whose data array is JSON text (a ShipmentObject[]), ready to be written into the response. */
export type ShipmentPage = { dataJson: string; pagination: Pagination };

type PageValues = ChangesValues & { limit: number };
type PageRow = { id: string; document: string | null; cursor_ts: string };

/**
 * The keyset page (limit + 1 rows, an index range scan), each row's stored document as text. Node joins the
 * documents into the page without decoding them: a page is ~100 KB of JSON that only passes through. The rare row
 * stored before documents existed is rendered by a second statement, so that this one stays as cheap to plan as
 * the keyset query itself.
 */
function pageStatement<V extends PageValues>(filters: (p: Placeholders<V>) => SQL[] = () => []) {
  return statement<V, PageRow>(
    (p) => sql`select ${shipments.id}, ${shipments.document}::text as document, ${cursorTimestamp(shipments.updatedAt)} as cursor_ts
                 from ${shipments}
                where ${changesWhere(shipments, p, filters(p))}
                order by ${sql.join(changesOrder(shipments), sql`, `)}
                limit ${p.limit}::int + 1`,
  );
}

const allShipmentsPage = pageStatement<PageValues>();
const orderShipmentsPage = pageStatement<PageValues & { orderId: string }>((p) => [sql`${shipments.orderId} = ${p.orderId}`]);

/**
 * The tenant's shipments changed since a point, oldest change first, commit-safe: rows of transactions still
 * in flight are held back by the horizon, so a poller that follows the cursors never misses one.
 */
export async function listShipments(db: DbOrTx, ctx: FeedReader, input: ListShipmentsInput): Promise<ShipmentPage> {
  const values = { ...changesValues(ctx, input, await horizonFor(db, ctx)), limit: input.limit };
  const rows = input.orderId ? await orderShipmentsPage(db, { ...values, orderId: input.orderId }) : await allShipmentsPage(db, values);
  const { page, pagination } = paginate(rows, input.limit, (r) => ({ ts: r.cursor_ts, id: r.id }));
  const unrendered = page.filter((r) => r.document === null).map((r) => r.id);
  const rendered = unrendered.length ? await renderShipmentDocuments(db, unrendered) : new Map<string, string>();
  return { dataJson: `[${page.map((r) => r.document ?? rendered.get(r.id)).join(",")}]`, pagination };
}

/** One shipment of the tenant; another account's or environment's id is not found. */
export async function getShipment(db: DbOrTx, ctx: Tenant, id: string): Promise<ShipmentObject> {
  const [shipment] = await selectShipments(db, [eq(shipments.id, id), eq(shipments.accountId, ctx.accountId), eq(shipments.environment, ctx.environment)]);
  if (!shipment) throw new NotFoundError("Shipment", id);
  return shipment;
}
