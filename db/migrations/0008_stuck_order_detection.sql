CREATE TABLE "stuck_thresholds" (
	"id" text PRIMARY KEY NOT NULL,
	"stage" text NOT NULL,
	"account_id" text,
	"warehouse_id" text,
	"minutes" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stuck_thresholds_stage_account_id_warehouse_id_key" UNIQUE NULLS NOT DISTINCT("stage","account_id","warehouse_id"),
	CONSTRAINT "stuck_thresholds_one_scope" CHECK ("stuck_thresholds"."account_id" is null or "stuck_thresholds"."warehouse_id" is null),
	CONSTRAINT "stuck_thresholds_minutes_positive" CHECK ("stuck_thresholds"."minutes" > 0)
);
--> statement-breakpoint
ALTER TABLE "warehouses" ADD COLUMN "cutoff_time" time;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "stage_entered_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "stuck_thresholds" ADD CONSTRAINT "stuck_thresholds_warehouse_id_warehouses_id_fk" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "operational_exceptions_open_stuck_order_idx" ON "operational_exceptions" USING btree ("order_id",("data"->>'stage')) WHERE "operational_exceptions"."kind" = 'stuck_order' and "operational_exceptions"."status" = 'open';--> statement-breakpoint
CREATE INDEX "orders_open_stage_idx" ON "orders" USING btree ("status","stage_entered_at") WHERE "orders"."status" in ('on_hold', 'received', 'processing', 'backordered');--> statement-breakpoint
CREATE INDEX "shipments_in_carrier_stage_idx" ON "shipments" USING btree ("status","order_id") WHERE "shipments"."status" in ('shipped', 'in_transit', 'out_for_delivery');--> statement-breakpoint
CREATE INDEX "returns_received_idx" ON "returns" USING btree ("received_at") WHERE "returns"."status" = 'received';--> statement-breakpoint
-- Orders that existed before: they entered their status at its last timeline event, else at their last change.
UPDATE "orders" o SET "stage_entered_at" = CASE
  WHEN o."status" in ('on_hold', 'received', 'processing', 'backordered') THEN coalesce(
    (SELECT max(e."occurred_at") FROM "order_events" e WHERE e."order_id" = o."id" AND e."status" = o."status"::text AND NOT e."stale"),
    o."updated_at")
  ELSE o."updated_at" END;--> statement-breakpoint
-- The one writer of stage_entered_at: whichever code changes an order's status, the same transaction stamps when.
-- A writer that sets stage_entered_at itself (a demo seeded in the past) keeps its value.
CREATE FUNCTION "orders_stage_entered_at"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."status" IS DISTINCT FROM OLD."status" AND NEW."stage_entered_at" IS NOT DISTINCT FROM OLD."stage_entered_at" THEN
    NEW."stage_entered_at" := now();
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "orders_stage_entered_at" BEFORE UPDATE OF "status" ON "orders"
  FOR EACH ROW EXECUTE FUNCTION "orders_stage_entered_at"();
