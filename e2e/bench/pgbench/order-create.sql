-- The order-create transaction of POST /v1/orders without the application, as app/bench/orders/route.ts runs it:
-- idempotency row, order, 2 lines, per line (SKU order, as the app locks) the conditional stock update with its
-- ledger row, allocation and SKU stock clock, one timeline row; durable commit.
-- Variables from run.ts: -D acct=… -D wh=… -D sm=…
\set a random(1, 50)
\set b random(51, 100)
\set n random(1, 9000000000000000)
BEGIN;
INSERT INTO idempotency_keys (id, account_id, environment, key, request_hash, state, order_id, expires_at)
  VALUES ('idk_pgb_' || :client_id || '_' || :n, :acct, 'live', 'pgb-' || :client_id || '-' || :n, 'pgbench', 'completed',
          'ord_pgb_' || :client_id || '_' || :n, now() + interval '7 days');
INSERT INTO orders (id, account_id, environment, order_number, reference, channel, status, warehouse_id, shipping_method_id, order_date, ship_to)
  VALUES ('ord_pgb_' || :client_id || '_' || :n, :acct, 'live', 'SO-' || :n, 'pgb-' || :client_id || '-' || :n, 'api', 'received', :wh, :sm, now(),
          '{"name": "Jane Doe", "address1": "123 Main St", "city": "Sydney", "state": "NSW", "postcode": "2000", "country": "AU"}'::jsonb);
INSERT INTO order_lines (id, order_id, position, sku_id, sku, quantity, quantity_allocated, unit_price, currency)
  VALUES ('oln_pgb_' || :client_id || '_' || :n || '_0', 'ord_pgb_' || :client_id || '_' || :n, 0,
          'sku_bench_' || lpad(:a::text, 4, '0'), 'BENCH-' || lpad(:a::text, 4, '0'), 1, 1, 19.99, 'AUD'),
         ('oln_pgb_' || :client_id || '_' || :n || '_1', 'ord_pgb_' || :client_id || '_' || :n, 1,
          'sku_bench_' || lpad(:b::text, 4, '0'), 'BENCH-' || lpad(:b::text, 4, '0'), 1, 1, 19.99, 'AUD');
WITH u AS (
  UPDATE inventory_levels SET allocated = allocated + 1, updated_at = now()
   WHERE sku_id = 'sku_bench_' || lpad(:a::text, 4, '0') AND warehouse_id = :wh AND on_hand - allocated >= 1
  RETURNING on_hand, allocated, incoming, backordered, quarantined
), ledger AS (
  INSERT INTO inventory_ledger (id, account_id, environment, sku_id, warehouse_id, kind, source, ref_type, ref_id, delta_allocated, balance)
  SELECT 'led_pgb_' || :client_id || '_' || :n || '_0', :acct, 'live', 'sku_bench_' || lpad(:a::text, 4, '0'), :wh, 'allocate', 'api', 'order',
         'ord_pgb_' || :client_id || '_' || :n, 1,
         jsonb_build_object('onHand', on_hand, 'allocated', allocated, 'incoming', incoming, 'backordered', backordered, 'quarantined', quarantined)
    FROM u
), allocation AS (
  INSERT INTO allocations (id, order_id, order_line_id, sku_id, warehouse_id, quantity)
  SELECT 'alc_pgb_' || :client_id || '_' || :n || '_0', 'ord_pgb_' || :client_id || '_' || :n, 'oln_pgb_' || :client_id || '_' || :n || '_0',
         'sku_bench_' || lpad(:a::text, 4, '0'), :wh, 1 FROM u
), clock AS (
  UPDATE skus SET updated_at = now() WHERE id = 'sku_bench_' || lpad(:a::text, 4, '0') AND EXISTS (SELECT 1 FROM u)
)
SELECT count(*) FROM u;
WITH u AS (
  UPDATE inventory_levels SET allocated = allocated + 1, updated_at = now()
   WHERE sku_id = 'sku_bench_' || lpad(:b::text, 4, '0') AND warehouse_id = :wh AND on_hand - allocated >= 1
  RETURNING on_hand, allocated, incoming, backordered, quarantined
), ledger AS (
  INSERT INTO inventory_ledger (id, account_id, environment, sku_id, warehouse_id, kind, source, ref_type, ref_id, delta_allocated, balance)
  SELECT 'led_pgb_' || :client_id || '_' || :n || '_1', :acct, 'live', 'sku_bench_' || lpad(:b::text, 4, '0'), :wh, 'allocate', 'api', 'order',
         'ord_pgb_' || :client_id || '_' || :n, 1,
         jsonb_build_object('onHand', on_hand, 'allocated', allocated, 'incoming', incoming, 'backordered', backordered, 'quarantined', quarantined)
    FROM u
), allocation AS (
  INSERT INTO allocations (id, order_id, order_line_id, sku_id, warehouse_id, quantity)
  SELECT 'alc_pgb_' || :client_id || '_' || :n || '_1', 'ord_pgb_' || :client_id || '_' || :n, 'oln_pgb_' || :client_id || '_' || :n || '_1',
         'sku_bench_' || lpad(:b::text, 4, '0'), :wh, 1 FROM u
), clock AS (
  UPDATE skus SET updated_at = now() WHERE id = 'sku_bench_' || lpad(:b::text, 4, '0') AND EXISTS (SELECT 1 FROM u)
)
SELECT count(*) FROM u;
INSERT INTO order_events (id, account_id, environment, order_id, type, source, status, message, actor, occurred_at)
  VALUES ('oev_pgb_' || :client_id || '_' || :n, :acct, 'live', 'ord_pgb_' || :client_id || '_' || :n, 'order.received', 'api', 'received',
          'Order received', 'pgbench', now());
COMMIT;
