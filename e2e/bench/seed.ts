/**
 * The benchmark's own database: migrated with the app's migrations, then filled by set-based SQL
 * (generate_series) — one million shipments with their orders, lines, parcels and items in a few minutes,
 * where going through the API would take hours. Everything lives in the `live` environment of two accounts
 * made for the benchmark, so nothing here is visible to any other account.
 *
 *   npx tsx e2e/bench/seed.ts [--force] [--shipments 1000000]
 */
import postgres from "postgres";
import { createDatabase } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { storeMissingShipmentDocuments } from "@/lib/shipments/present";
import { recreateDatabase } from "../support/database";

export const benchDatabaseUrl = process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/hub_bench";

/** Fixed ids so that pgbench scripts can name the rows without a lookup. */
export const fixture = {
  ordersAccount: "acct_bench_orders",
  shipmentsAccount: "acct_bench_shipments",
  environment: "live" as const,
  warehouse: "wh_bench_syd",
  shippingMethod: "sm_bench_express",
  skuCount: 100,
  /** Every seeded shipment row is 1 ms after the previous one, starting here. */
  shipmentsStart: "2026-01-01T00:00:00.000Z",
};

export const skuCode = (n: number) => `BENCH-${String(n).padStart(4, "0")}`;
export const skuId = (n: number) => `sku_bench_${String(n).padStart(4, "0")}`;
export const shipmentId = (n: number) => `shp_${String(n).padStart(26, "0")}`;

type Sql = postgres.Sql;

async function isSeeded(sql: Sql, shipments: number): Promise<boolean> {
  try {
    const [row] = await sql<{ n: string }[]>`select count(*)::text as n from shipments where account_id = ${fixture.shipmentsAccount}`;
    return Number(row.n) >= shipments;
  } catch {
    return false; // no schema yet
  }
}

async function seedReferenceData(sql: Sql): Promise<void> {
  const env = fixture.environment;
  // Rate limits out of the way: the benchmark measures the path, not the limiter's refusal.
  await sql`insert into accounts (id, name, rate_limit_per_minute)
            values (${fixture.ordersAccount}, 'bench-orders', 1000000000), (${fixture.shipmentsAccount}, 'bench-shipments', 1000000000)
            on conflict (id) do nothing`;
  await sql`insert into warehouses (id, environment, name, code, address, timezone, priority)
            values (${fixture.warehouse}, ${env}, 'Bench Sydney DC', 'BENCH-SYD',
                    ${sql.json({ address1: "1 Freight Rd", city: "Sydney", state: "NSW", postcode: "2000", country: "AU" })}, 'Australia/Sydney', 1)
            on conflict (id) do nothing`;
  await sql`insert into shipping_methods (id, environment, name, carrier, carrier_name, service_code, tracking_url_template, is_default)
            values (${fixture.shippingMethod}, ${env}, 'Bench Express', 'auspost', 'Australia Post', 'EXP',
                    'https://auspost.com.au/mypost/track/details/{tracking_number}', false)
            on conflict (id) do nothing`;
  // SKUs of the orders account with stock that no benchmark run can exhaust. The ledger gets the receipt so that
  // replaying it still gives the level.
  await sql`insert into skus (id, account_id, environment, sku, description)
            select 'sku_bench_' || lpad(g::text, 4, '0'), ${fixture.ordersAccount}, ${env}, 'BENCH-' || lpad(g::text, 4, '0'), 'Bench item ' || g
              from generate_series(1, ${fixture.skuCount}) g
            on conflict (id) do nothing`;
  await sql`insert into inventory_levels (id, account_id, environment, sku_id, warehouse_id, on_hand)
            select 'inv_bench_' || lpad(g::text, 4, '0'), ${fixture.ordersAccount}, ${env}, 'sku_bench_' || lpad(g::text, 4, '0'), ${fixture.warehouse}, 1000000000
              from generate_series(1, ${fixture.skuCount}) g
            on conflict (id) do nothing`;
  await sql`insert into inventory_ledger (id, account_id, environment, sku_id, warehouse_id, kind, reason, source, delta_on_hand, balance)
            select 'led_bench_' || lpad(g::text, 4, '0'), ${fixture.ordersAccount}, ${env}, 'sku_bench_' || lpad(g::text, 4, '0'), ${fixture.warehouse},
                   'receive', 'received', 'system', 1000000000,
                   jsonb_build_object('onHand', 1000000000, 'allocated', 0, 'incoming', 0, 'backordered', 0, 'quarantined', 0)
              from generate_series(1, ${fixture.skuCount}) g
            on conflict (id) do nothing`;
  // One SKU of the shipments account, for the order lines of the seeded shipments.
  await sql`insert into skus (id, account_id, environment, sku, description)
            values ('sku_bench_ship', ${fixture.shipmentsAccount}, ${env}, 'SHIP-ITEM', 'Shipped item') on conflict (id) do nothing`;
}

/** n shipments (1 ms apart), each for its own shipped order of one line; every other one in two parcels. */
async function seedShipments(sql: Sql, n: number, log: (s: string) => void): Promise<void> {
  const acct = fixture.shipmentsAccount;
  const env = fixture.environment;
  const start = fixture.shipmentsStart;
  const t = (label: string, since: number) => log(`  ${label}: ${((Date.now() - since) / 1000).toFixed(1)}s`);
  let since = Date.now();
  await sql`insert into orders (id, account_id, environment, order_number, reference, channel, status, warehouse_id, shipping_method_id,
                                order_date, ship_to, created_at, updated_at)
            select 'ord_' || lpad(g::text, 26, '0'), ${acct}, ${env}, 'SO-' || g, 'bench-' || g, 'api', 'shipped', ${fixture.warehouse}, ${fixture.shippingMethod},
                   ts - interval '1 day', ${sql.json({ name: "Jane Doe", address1: "123 Main St", city: "Sydney", state: "NSW", postcode: "2000", country: "AU" })},
                   ts - interval '1 day', ts
              from generate_series(1, ${n}) g, lateral (select ${start}::timestamptz + g * interval '1 millisecond' as ts) x`;
  t("orders", since);
  since = Date.now();
  await sql`insert into order_lines (id, order_id, position, sku_id, sku, quantity, quantity_allocated, quantity_shipped, unit_price, currency, created_at, updated_at)
            select 'oln_' || lpad(g::text, 26, '0'), 'ord_' || lpad(g::text, 26, '0'), 1, 'sku_bench_ship', 'SHIP-ITEM', 2, 0, 2, 19.99, 'AUD', ts, ts
              from generate_series(1, ${n}) g, lateral (select ${start}::timestamptz + g * interval '1 millisecond' as ts) x`;
  t("order lines", since);
  since = Date.now();
  await sql`insert into shipments (id, account_id, environment, order_id, warehouse_id, status, voided, shipped_at, cost_amount, cost_currency,
                                   status_occurred_at, created_at, updated_at)
            select 'shp_' || lpad(g::text, 26, '0'), ${acct}, ${env}, 'ord_' || lpad(g::text, 26, '0'), ${fixture.warehouse},
                   (array['shipped','in_transit','out_for_delivery','delivered'])[1 + g % 4]::shipment_status, false, ts, 12.40, 'AUD', ts, ts, ts
              from generate_series(1, ${n}) g, lateral (select ${start}::timestamptz + g * interval '1 millisecond' as ts) x`;
  t("shipments", since);
  since = Date.now();
  await sql`insert into shipment_parcels (id, shipment_id, position, tracking_number, tracking_url, carrier, service, weight, dimensions, created_at, updated_at)
            select 'prc_' || lpad(g::text, 25, '0') || p, 'shp_' || lpad(g::text, 26, '0'), p, 'BT' || lpad(g::text, 9, '0') || p || 'AU',
                   'https://auspost.com.au/mypost/track/details/BT' || lpad(g::text, 9, '0') || p || 'AU', 'auspost', 'EXP',
                   '{"value": 1.2, "unit": "kg"}'::jsonb, '{"length": 30, "width": 20, "height": 10, "unit": "cm"}'::jsonb, ts, ts
              from generate_series(1, ${n}) g, lateral (select ${start}::timestamptz + g * interval '1 millisecond' as ts) x,
                   generate_series(1, 1 + (g % 2)) p`;
  t("parcels", since);
  since = Date.now();
  await sql`insert into shipment_items (id, shipment_id, order_line_id, sku, quantity, created_at, updated_at)
            select 'shi_' || lpad(g::text, 26, '0'), 'shp_' || lpad(g::text, 26, '0'), 'oln_' || lpad(g::text, 26, '0'), 'SHIP-ITEM', 2, ts, ts
              from generate_series(1, ${n}) g, lateral (select ${start}::timestamptz + g * interval '1 millisecond' as ts) x`;
  t("items", since);
}

/**
 * Renders the documents of shipments that have none, with the app's own definition (as the worker's housekeeping
 * would, in larger batches), then rewrites the table: rendering leaves a dead version of every shipment behind,
 * and the new versions in the order the batches happened to write them.
 */
async function fillShipmentDocuments(log: (s: string) => void): Promise<void> {
  let since = Date.now();
  let rendered = 0;
  const handle = createDatabase({ url: benchDatabaseUrl, poolMax: 1 });
  try {
    for (let n = -1; n !== 0; rendered += n) n = await storeMissingShipmentDocuments(handle.db, 50_000);
    if (!rendered) return;
    log(`  shipment documents (${rendered}): ${((Date.now() - since) / 1000).toFixed(1)}s`);
    since = Date.now();
  } finally {
    await handle.close();
  }
  const maintain = postgres(benchDatabaseUrl, { max: 1, onnotice: () => {} });
  try {
    // Rewritten in the order it was seeded, as a live table grows: rows go to the end as they change.
    await maintain`cluster shipments using shipments_account_id_environment_updated_at_id_idx`;
    await maintain`vacuum (freeze, analyze) orders, order_lines, shipments, shipment_parcels, shipment_items, skus, inventory_levels`;
    log(`  vacuum: ${((Date.now() - since) / 1000).toFixed(1)}s`);
  } finally {
    await maintain.end({ timeout: 5 });
  }
}

/** Creates (or, with force, re-creates) the bench database. Returns quickly when it is already seeded. */
export async function seedBench(options: { force?: boolean; shipments?: number; log?: (s: string) => void } = {}): Promise<void> {
  const shipments = options.shipments ?? 1_000_000;
  const log = options.log ?? ((s: string) => console.log(s));
  if (!options.force) {
    const sql = postgres(benchDatabaseUrl, { max: 1, onnotice: () => {} });
    const seeded = await isSeeded(sql, shipments).finally(() => sql.end({ timeout: 5 }));
    if (seeded) {
      // Pick up migrations added since the seed. A migration history rewritten since (db:regen) cannot be applied
      // to the old schema: the database is then seeded again.
      const handle = createDatabase({ url: benchDatabaseUrl, poolMax: 1 });
      const migrated = await migrateDatabase(handle).then(
        () => true,
        (error: Error) => {
          log(`bench database has an older schema (${error.message.split("\n")[0]}): seeding again`);
          return false;
        },
      );
      await handle.close();
      if (migrated) {
        await fillShipmentDocuments(log);
        log(`bench database already seeded (${shipments} shipments)`);
        return;
      }
    }
  }

  const started = Date.now();
  log(`seeding ${new URL(benchDatabaseUrl).pathname.slice(1)} with ${shipments} shipments…`);
  await recreateDatabase(benchDatabaseUrl);
  const handle = createDatabase({ url: benchDatabaseUrl, poolMax: 1 });
  await migrateDatabase(handle);
  await handle.close();

  const seed = postgres(benchDatabaseUrl, { max: 1, onnotice: () => {} });
  try {
    // A fixture load: nothing is lost if the machine dies half way (we would start over).
    await seed`set synchronous_commit = off`;
    await seed`set maintenance_work_mem = '256MB'`;
    await seedReferenceData(seed);
    await seedShipments(seed, shipments, log);
  } finally {
    await seed.end({ timeout: 5 });
  }
  await fillShipmentDocuments(log);
  log(`seeded in ${((Date.now() - started) / 1000).toFixed(0)}s`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--shipments");
  await seedBench({ force: args.includes("--force"), shipments: at >= 0 ? Number(args[at + 1]) : undefined });
}
