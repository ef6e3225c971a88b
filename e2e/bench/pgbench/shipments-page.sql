-- One page of GET /v1/shipments without the application: the keyset query (row comparison on the
-- (account_id, environment, updated_at, id) index) at a random position among the seeded shipments, then the
-- parcels, items and order numbers of the page, as the bare route and the app fetch them.
-- Seeded shipment number k is updated at start + k ms with id shp_000…k, so the page after k is k+1 … k+100.
-- Variables from run.ts (-D): acct, start, maxk. (No colon before a word anywhere in this file, even in a literal: pgbench binds it.)
\set k random(1, :maxk)
SELECT id, order_id, status, warehouse_id, voided, shipped_at, created_at, updated_at, cost_amount, cost_currency,
       replace(to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24#MI#SS.US"Z"'), '#', chr(58)) AS cursor_ts
  FROM shipments
 WHERE account_id = :acct AND environment = 'live'
   AND (updated_at, id) > (:start::timestamptz + :k::int * interval '1 millisecond', 'shp_' || lpad(:k::text, 26, '0'))
 ORDER BY updated_at, id
 LIMIT 101;
SELECT shipment_id, position, tracking_number, tracking_url, carrier, service, weight, dimensions
  FROM shipment_parcels
 WHERE shipment_id = ANY (ARRAY(SELECT 'shp_' || lpad(g::text, 26, '0') FROM generate_series(:k::int + 1, :k::int + 100) g))
 ORDER BY shipment_id, position;
SELECT shipment_id, sku, quantity
  FROM shipment_items
 WHERE shipment_id = ANY (ARRAY(SELECT 'shp_' || lpad(g::text, 26, '0') FROM generate_series(:k::int + 1, :k::int + 100) g))
 ORDER BY shipment_id, id;
SELECT id, order_number
  FROM orders
 WHERE id = ANY (ARRAY(SELECT 'ord_' || lpad(g::text, 26, '0') FROM generate_series(:k::int + 1, :k::int + 100) g));
