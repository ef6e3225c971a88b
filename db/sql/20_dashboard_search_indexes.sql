-- The support search (lib/dashboard/search.ts) matches order numbers and references by case-insensitive prefix across every account, and lists the most recent orders of the whole hub: these keep both on an index as orders grow.
CREATE INDEX IF NOT EXISTS "orders_upper_order_number_idx" ON "orders" (upper("order_number") text_pattern_ops);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "orders_upper_reference_idx" ON "orders" (upper("reference") text_pattern_ops);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "orders_created_at_id_idx" ON "orders" ("created_at", "id");
