import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { database, getDb } from "@/db/client";
import { createTenant, unique, type TestTenant } from "@/e2e/support/factories";
import { onPostgres } from "@/e2e/support/vitest-env";
import { buildSearchQuery, searchOrders, type OrderSearchFilters, type SearchPhase } from "@/lib/dashboard/search";

/** Enough orders that reading all of them costs PostgreSQL far more than any index lookup. */
const ORDERS = 100_000;
/** A walk of the created_at index that filters out more rows than this is a scan by another name. */
const MOST_ROWS = 1_000;

type PlanNode = {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Rows Removed by Filter"?: number;
  Plans?: PlanNode[];
};

function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)];
}

/** The plan PostgreSQL runs for the statement the search builds for this phase, with the search's own parameters. */
async function planOf(filters: OrderSearchFilters, phase: SearchPhase): Promise<PlanNode[]> {
  const handle = database();
  if (handle.mode !== "postgres") throw new Error("plans are read on PostgreSQL");
  const statement = buildSearchQuery(getDb(), filters, phase).toSQL();
  const [row] = await handle.sql.unsafe(`explain (analyze, format json) ${statement.sql}`, statement.params as never[]);
  const [explained] = row["QUERY PLAN"] as { Plan: PlanNode }[];
  return nodesOf(explained.Plan);
}

/**
 * What a plan does to the orders table that grows with it: a sequential scan, or an index walk filtering most rows
 * out. A bitmap heap scan reads only the rows its index matched for the search term (a trigram fragment is no one
 * account's own, so the account filter comes after it): what it filters grows with the term's matches, not the table.
 */
function scansOfOrders(nodes: PlanNode[]): string[] {
  return nodes
    .filter((n) => n["Relation Name"] === "orders")
    .filter((n) => n["Node Type"] === "Seq Scan" || (n["Node Type"] !== "Bitmap Heap Scan" && (n["Rows Removed by Filter"] ?? 0) > MOST_ROWS))
    .map((n) => `${n["Node Type"]} on orders${n["Index Name"] ? ` using ${n["Index Name"]}` : ""} (rows removed by filter: ${n["Rows Removed by Filter"] ?? 0})`);
}

describe.skipIf(!onPostgres)("support search plans at scale (needs TEST_DATABASE_URL: PostgreSQL's planner and statistics)", () => {
  let t: TestTenant;
  let tag: string;

  beforeAll(async () => {
    t = await createTenant();
    tag = unique("P").replace(/[^A-Za-z0-9]/g, "").toUpperCase();
    const db = getDb();
    // One statement each, newest last, as orders arrive; every tenth order shipped with one parcel.
    await db.execute(sql`
      insert into orders (id, account_id, environment, order_number, reference, status, warehouse_id, shipping_method_id, order_date, ship_to, created_at, updated_at)
      select 'ord_' || ${tag} || '_' || i, ${t.accountId}, ${t.environment}, 'BULK-' || ${tag} || '-' || i, 'PO-' || ${tag} || '-' || i, 'received',
             ${t.warehouses.syd}, ${t.shippingMethods.express}, now(),
             '{"name":"Jane Doe","address1":"123 Main St","city":"Sydney","state":"NSW","postcode":"2000","country":"AU"}'::jsonb,
             now() - make_interval(secs => ${ORDERS} - i), now()
        from generate_series(1, ${ORDERS}) i`);
    await db.execute(sql`
      insert into shipments (id, account_id, environment, order_id, warehouse_id, shipped_at)
      select 'shp_' || ${tag} || '_' || i, ${t.accountId}, ${t.environment}, 'ord_' || ${tag} || '_' || i, ${t.warehouses.syd}, now()
        from generate_series(10, ${ORDERS}, 10) i`);
    await db.execute(sql`
      insert into shipment_parcels (id, shipment_id, position, tracking_number)
      select 'prc_' || ${tag} || '_' || i, 'shp_' || ${tag} || '_' || i, 1, 'TRK' || ${tag} || i
        from generate_series(10, ${ORDERS}, 10) i`);
    await db.execute(sql`analyze orders, shipments, shipment_parcels`);
  }, 120_000);

  // Each kind of query a support agent types, the phases searchOrders runs for it, and what it must find.
  const kinds: { kind: string; filters: () => OrderSearchFilters; phases: SearchPhase[]; matchedBy: string; found: (ids: string[]) => void }[] = [
    {
      kind: "an exact order number",
      filters: () => ({ q: `BULK-${tag}-31337` }),
      phases: ["exact_or_prefix"],
      matchedBy: "exact_or_prefix",
      found: (ids) => expect(ids).toEqual([`ord_${tag}_31337`]),
    },
    {
      kind: "an order number prefix, in lower case",
      filters: () => ({ q: `bulk-${tag}-4999` }),
      phases: ["exact_or_prefix"],
      matchedBy: "exact_or_prefix",
      found: (ids) => expect(ids).toEqual([...Array.from({ length: 10 }, (_, d) => `ord_${tag}_${49999 - d}`), `ord_${tag}_4999`]),
    },
    {
      // 1,111 matches (12, 120-129, 1200-1299, 12000-12999), all older than the 87,000 newest orders: walking the
      // created_at index newest first would filter those 87,000 out before it found one.
      kind: "a short prefix that only old orders have",
      filters: () => ({ q: `BULK-${tag}-12` }),
      phases: ["exact_or_prefix"],
      matchedBy: "exact_or_prefix",
      found: (ids) => expect(ids).toEqual(Array.from({ length: 50 }, (_, d) => `ord_${tag}_${12999 - d}`)),
    },
    {
      kind: "a reference",
      filters: () => ({ q: `PO-${tag}-27182` }),
      phases: ["exact_or_prefix"],
      matchedBy: "exact_or_prefix",
      found: (ids) => expect(ids).toEqual([`ord_${tag}_27182`]),
    },
    {
      kind: "an order id",
      filters: () => ({ q: `ord_${tag}_123` }),
      phases: ["exact_or_prefix"],
      matchedBy: "exact_or_prefix",
      found: (ids) => expect(ids).toEqual([`ord_${tag}_123`]),
    },
    {
      kind: "a shipment id",
      filters: () => ({ q: `shp_${tag}_7770` }),
      phases: ["exact_or_prefix"],
      matchedBy: "exact_or_prefix",
      found: (ids) => expect(ids).toEqual([`ord_${tag}_7770`]),
    },
    {
      kind: "a tracking number",
      filters: () => ({ q: `TRK${tag}8880` }),
      phases: ["exact_or_prefix"],
      matchedBy: "exact_or_prefix",
      found: (ids) => expect(ids).toEqual([`ord_${tag}_8880`]),
    },
    {
      kind: "an order number within the account and environment filters",
      filters: () => ({ q: `BULK-${tag}-16180`, accountId: t.accountId, environment: t.environment, status: "received" }),
      phases: ["exact_or_prefix"],
      matchedBy: "exact_or_prefix",
      found: (ids) => expect(ids).toEqual([`ord_${tag}_16180`]),
    },
    {
      kind: "a query that matches nothing",
      filters: () => ({ q: `NOTHING-${tag}` }),
      phases: ["exact_or_prefix", "contains"],
      matchedBy: "none",
      found: (ids) => expect(ids).toEqual([]),
    },
    {
      kind: "a fragment found only by 'contains'",
      filters: () => ({ q: `${tag}-4142` }),
      phases: ["exact_or_prefix", "contains"],
      matchedBy: "contains",
      found: (ids) => expect(ids).toEqual([...Array.from({ length: 10 }, (_, d) => `ord_${tag}_${41429 - d}`), `ord_${tag}_4142`]),
    },
    {
      // The same 1,111 old orders, within the account (the fragment alone is no one's own).
      kind: "a fragment found only by 'contains' that only old orders have",
      filters: () => ({ q: "-12", accountId: t.accountId }),
      phases: ["exact_or_prefix", "contains"],
      matchedBy: "contains",
      found: (ids) => expect(ids).toEqual(Array.from({ length: 50 }, (_, d) => `ord_${tag}_${12999 - d}`)),
    },
  ];

  it.each(kinds)("finds $kind without scanning the orders table", async ({ filters, phases, matchedBy, found }) => {
    const result = await searchOrders(getDb(), filters());
    expect(result.matchedBy).toBe(matchedBy);
    found(result.rows.map((r) => r.id));

    for (const phase of phases) {
      const nodes = await planOf(filters(), phase);
      expect(nodes.some((n) => n["Relation Name"] === "orders")).toBe(true);
      expect({ phase, scans: scansOfOrders(nodes) }).toEqual({ phase, scans: [] });
    }
  });
});
