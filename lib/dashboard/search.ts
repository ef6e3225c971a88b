import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { accounts, orders, shipmentParcels, shipments, type Order, type Environment } from "@/db/schema";

export type OrderSearchFilters = {
  /** Order number, reference, order id, shipment id or tracking number. */
  q?: string;
  accountId?: string;
  environment?: Environment;
  status?: Order["status"];
  limit?: number;
};

export type OrderSearchRow = {
  id: string;
  orderNumber: string;
  reference: string;
  channel: string;
  status: Order["status"];
  holdReason: string | null;
  accountId: string;
  accountName: string;
  environment: Environment;
  shipToName: string | null;
  shipToCity: string;
  shipToCountry: string;
  createdAt: Date;
  updatedAt: Date;
};

export type OrderSearchResult = {
  rows: OrderSearchRow[];
  /** How the rows were found: most recent first, an exact or prefix match, or a looser "contains" match. */
  matchedBy: "recent" | "exact_or_prefix" | "contains" | "none";
};

export const SEARCH_LIMIT = 50;
/** A "contains" scan reads every order; below this length it would match almost everything anyway. */
const CONTAINS_MIN_LENGTH = 3;

function likePattern(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

async function select(db: DbOrTx, where: SQL | undefined, limit: number): Promise<OrderSearchRow[]> {
  const rows = await db
    .select({
      id: orders.id,
      orderNumber: orders.orderNumber,
      reference: orders.reference,
      channel: orders.channel,
      status: orders.status,
      holdReason: orders.holdReason,
      accountId: orders.accountId,
      accountName: accounts.name,
      environment: orders.environment,
      shipTo: orders.shipTo,
      createdAt: orders.createdAt,
      updatedAt: orders.updatedAt,
    })
    .from(orders)
    .innerJoin(accounts, eq(accounts.id, orders.accountId))
    .where(where)
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(limit);
  return rows.map(({ shipTo, ...row }) => ({ ...row, shipToName: shipTo.name ?? null, shipToCity: shipTo.city, shipToCountry: shipTo.country }));
}

/**
 * The support search, across every account and environment the hub holds (the dashboard is the 3PL's own
 * tool). Ids and tracking numbers match exactly, order numbers and references by prefix, case-insensitively; all
 * of these use indexes. Only when nothing matches that way does it fall back to a "contains" scan.
 */
export async function searchOrders(db: DbOrTx, filters: OrderSearchFilters = {}): Promise<OrderSearchResult> {
  const limit = Math.min(Math.max(filters.limit ?? SEARCH_LIMIT, 1), 200);
  const scope: SQL[] = [];
  if (filters.accountId) scope.push(eq(orders.accountId, filters.accountId));
  if (filters.environment) scope.push(eq(orders.environment, filters.environment));
  if (filters.status) scope.push(eq(orders.status, filters.status));
  const q = (filters.q ?? "").trim();

  if (!q) return { rows: await select(db, and(...scope), limit), matchedBy: "recent" };

  const prefix = `${likePattern(q.toUpperCase())}%`;
  const exact = sql`(${orders.id} = ${q}
      or upper(${orders.orderNumber}) like ${prefix}
      or upper(${orders.reference}) like ${prefix}
      or ${orders.id} in (select ${shipments.orderId} from ${shipments} where ${shipments.id} = ${q})
      or ${orders.id} in (select ${shipments.orderId} from ${shipmentParcels}
                            join ${shipments} on ${shipments.id} = ${shipmentParcels.shipmentId}
                           where ${shipmentParcels.trackingNumber} = ${q}))`;
  const found = await select(db, and(exact, ...scope), limit);
  if (found.length) return { rows: found, matchedBy: "exact_or_prefix" };
  if (q.length < CONTAINS_MIN_LENGTH) return { rows: [], matchedBy: "none" };

  const contains = `%${likePattern(q)}%`;
  const loose = await select(db, and(sql`(${orders.orderNumber} ilike ${contains} or ${orders.reference} ilike ${contains})`, ...scope), limit);
  return { rows: loose, matchedBy: loose.length ? "contains" : "none" };
}

export type AccountOption = { id: string; name: string };

/** Accounts for the search filter, by name. */
export async function listAccounts(db: DbOrTx): Promise<AccountOption[]> {
  return db.select({ id: accounts.id, name: accounts.name }).from(accounts).orderBy(asc(accounts.name)).limit(500);
}
