ALTER TABLE "shipments" ADD COLUMN "document" json;--> statement-breakpoint
CREATE INDEX "shipments_unrendered_idx" ON "shipments" USING btree ("id") WHERE "shipments"."document" is null;