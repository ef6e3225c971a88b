-- The order-create transaction of POST /v1/orders without the application: idempotency row, order, 2 lines,
-- 2 conditional stock updates (SKU order, as the app locks), timeline row, outbox row; durable commit.
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
UPDATE inventory_levels SET allocated = allocated + 1, updated_at = now()
 WHERE sku_id = 'sku_bench_' || lpad(:a::text, 4, '0') AND warehouse_id = :wh AND on_hand - allocated >= 1;
UPDATE inventory_levels SET allocated = allocated + 1, updated_at = now()
 WHERE sku_id = 'sku_bench_' || lpad(:b::text, 4, '0') AND warehouse_id = :wh AND on_hand - allocated >= 1;
INSERT INTO order_events (id, account_id, environment, order_id, type, source, status, message, actor, occurred_at)
  VALUES ('oev_pgb_' || :client_id || '_' || :n, :acct, 'live', 'ord_pgb_' || :client_id || '_' || :n, 'order.received', 'api', 'received',
          'Order received', 'pgbench', now());
INSERT INTO outbox_events (id, account_id, environment, type, payload)
  VALUES ('evt_pgb_' || :client_id || '_' || :n, :acct, 'live', 'order.updated',
          jsonb_build_object('id', 'ord_pgb_' || :client_id || '_' || :n, 'status', 'received'));
COMMIT;
