import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { accounts, orders, shipmentParcels, shipments, warehouses, type Order, type Environment } from "@/db/schema";

export type OrderSearchFilters = {
  /** Order number, reference, order id, shipment id or tracking number. */
  q?: string;
  accountId?: string;
  environment?: Environment;
  status?: Order["status"];
  /** Orders routed to this warehouse. */
  warehouseId?: string;
  /** With warehouseId: only its open orders (received or picking) that came in before today's cut-off in its zone. */
  dueToday?: boolean;
  limit?: number;
};

/** What names an order to a person, in every dashboard view of it: the search row and the order page alike. */
export type OrderHeading = {
  id: string;
  orderNumber: string;
  reference: string;
  channel: string;
  status: Order["status"];
  holdReason: string | null;
  accountId: string;
  accountName: string;
  environment: Environment;
};

export type OrderSearchRow = OrderHeading & {
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
/** Trigrams need three characters: below that the trigram index narrows nothing down, and it would match almost everything anyway. */
const CONTAINS_MIN_LENGTH = 3;

/** The statements the search runs: the recent orders (no query), the exact or prefix lookups, and the "contains" fallback. */
export type SearchPhase = "recent" | "exact_or_prefix" | "contains";

function likePattern(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The one statement a phase of the support search runs, built here so that what runs is what the plan test
 * explains. Each lookup is its own branch on its own index, with the filters and its own newest-first limit,
 * and only the union is ordered and limited: one `OR` under `ORDER BY created_at DESC LIMIT` makes PostgreSQL
 * walk every order backwards through the created_at index and filter each one (1-3 s at 1,000,000 orders).
 */
export function buildSearchQuery(db: DbOrTx, filters: OrderSearchFilters, phase: SearchPhase) {
  const limit = Math.min(Math.max(filters.limit ?? SEARCH_LIMIT, 1), 200);
  const scope: SQL[] = [];
  if (filters.accountId) scope.push(eq(orders.accountId, filters.accountId));
  if (filters.environment) scope.push(eq(orders.environment, filters.environment));
  if (filters.status) scope.push(eq(orders.status, filters.status));
  if (filters.warehouseId) scope.push(eq(orders.warehouseId, filters.warehouseId));
  if (filters.warehouseId && filters.dueToday) {
    // What the overview's warehouse tile counts (lib/overview/warehouses.ts), read through the same open-orders index.
    scope.push(
      sql`${orders.status} in ('received', 'processing')`,
      sql`${orders.createdAt} < coalesce((select ((now() at time zone w.timezone)::date + w.cutoff_time) at time zone w.timezone
                                            from ${warehouses} w where w.id = ${filters.warehouseId}), now())`,
    );
  }
  const q = (filters.q ?? "").trim();

  // Each lookup reads its matches through its own index, then keeps the newest of them. "offset 0" makes the matches
  // a subquery PostgreSQL plans on its own: otherwise, for a lookup it expects to match many orders, it walks the
  // created_at index newest first and filters, which reads most of the table when the matches are old (order
  // numbers grow with time: "SO-1" matches none of the orders since SO-199999).
  const newestMatching = (lookup: SQL) => sql`(
    select matches.id from (select ${orders.id}, ${orders.createdAt} from ${orders} where ${sql.join([lookup, ...scope], sql` and `)} offset 0) matches
     order by matches.created_at desc, matches.id desc limit ${limit})`;
  const anyOf = (...lookups: SQL[]) => sql`${orders.id} in (${sql.join(lookups.map(newestMatching), sql` union all `)})`;

  let where: SQL | undefined;
  if (phase === "recent") {
    where = and(...scope);
  } else if (phase === "exact_or_prefix") {
    // upper(…) LIKE 'Q%' is what orders_upper_order_number_idx and orders_upper_reference_idx (text_pattern_ops) serve.
    const prefix = `${likePattern(q.toUpperCase())}%`;
    const shipmentOrder = db.select({ orderId: shipments.orderId }).from(shipments).where(eq(shipments.id, q));
    const trackingOrder = db
      .select({ orderId: shipments.orderId })
      .from(shipmentParcels)
      .innerJoin(shipments, eq(shipments.id, shipmentParcels.shipmentId))
      .where(eq(shipmentParcels.trackingNumber, q));
    where = anyOf(
      eq(orders.id, q),
      sql`upper(${orders.orderNumber}) like ${prefix}`,
      sql`upper(${orders.reference}) like ${prefix}`,
      inArray(orders.id, shipmentOrder),
      inArray(orders.id, trackingOrder),
    );
  } else {
    // ILIKE '%…%' is what the trigram indexes orders_order_number_trgm_idx and orders_reference_trgm_idx serve.
    const contains = `%${likePattern(q)}%`;
    where = anyOf(sql`${orders.orderNumber} ilike ${contains}`, sql`${orders.reference} ilike ${contains}`);
  }

  return db
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
}

async function select(db: DbOrTx, filters: OrderSearchFilters, phase: SearchPhase): Promise<OrderSearchRow[]> {
  const rows = await buildSearchQuery(db, filters, phase);
  return rows.map(({ shipTo, ...row }) => ({ ...row, shipToName: shipTo.name ?? null, shipToCity: shipTo.city, shipToCountry: shipTo.country }));
}

/**
 * The support search, across every account and environment the hub holds (the dashboard is the 3PL's own
 * tool). Ids and tracking numbers match exactly, order numbers and references by prefix, case-insensitively,
 * each lookup on its own index (see buildSearchQuery). Only when nothing matches that way does it fall back to
 * "contains" in order numbers and references, served by trigram indexes.
 */
export async function searchOrders(db: DbOrTx, filters: OrderSearchFilters = {}): Promise<OrderSearchResult> {
  const q = (filters.q ?? "").trim();
  if (!q) return { rows: await select(db, filters, "recent"), matchedBy: "recent" };

  const found = await select(db, filters, "exact_or_prefix");
  if (found.length) return { rows: found, matchedBy: "exact_or_prefix" };
  if (q.length < CONTAINS_MIN_LENGTH) return { rows: [], matchedBy: "none" };

  const loose = await select(db, filters, "contains");
  return { rows: loose, matchedBy: loose.length ? "contains" : "none" };
}

export type AccountOption = { id: string; name: string };

/** Accounts for the search filter, by name. */
export async function listAccounts(db: DbOrTx): Promise<AccountOption[]> {
  return db.select({ id: accounts.id, name: accounts.name }).from(accounts).orderBy(asc(accounts.name)).limit(500);
}
