DROP INDEX "shipments_carrier_stage_since_idx";--> statement-breakpoint
CREATE INDEX "shipments_status_since_idx" ON "shipments" USING btree ("status",coalesce("status_occurred_at", "shipped_at"));