-- One page of GET /v1/shipments without the application: the keyset query (row comparison on the
-- (account_id, environment, updated_at, id) index) at a random position among the seeded shipments, reading each
-- shipment's stored document, as the bare route does.
-- Seeded shipment number k is updated at start + k ms with id shp_000…k, so the page after k is k+1 … k+100.
-- Variables from run.ts (-D): acct, start, maxk. (No colon before a word anywhere in this file, even in a literal: pgbench binds it.)
\set k random(1, :maxk)
SELECT id, document::text AS document,
       replace(to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24#MI#SS.US"Z"'), '#', chr(58)) AS cursor_ts
  FROM shipments
 WHERE account_id = :acct AND environment = 'live'
   AND (updated_at, id) > (:start::timestamptz + :k::int * interval '1 millisecond', 'shp_' || lpad(:k::text, 26, '0'))
 ORDER BY updated_at, id
 LIMIT 101;
