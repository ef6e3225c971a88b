-- The support search (lib/dashboard/search.ts) falls back to "contains" (ILIKE '%…%') in order numbers and references when nothing matches exactly or by prefix; trigram indexes keep that off a scan of every order.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "orders_order_number_trgm_idx" ON "orders" USING gin ("order_number" gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "orders_reference_trgm_idx" ON "orders" USING gin ("reference" gin_trgm_ops);
