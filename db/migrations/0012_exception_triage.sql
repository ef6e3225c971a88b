ALTER TABLE "operational_exceptions" ADD COLUMN "resolution_note" text;--> statement-breakpoint
ALTER TABLE "operational_exceptions" ADD COLUMN "assigned_to" text;--> statement-breakpoint
ALTER TABLE "operational_exceptions" ADD COLUMN "assigned_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "operational_exceptions" ADD COLUMN "snoozed_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "operational_exceptions" ADD COLUMN "acknowledged_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "operational_exceptions" ADD COLUMN "acknowledged_by" text;--> statement-breakpoint
ALTER TABLE "operational_exceptions" ADD COLUMN "group_key" text GENERATED ALWAYS AS (case kind
            when 'unmapped_sku' then 'unmapped_sku:' || coalesce(data->'unmapped'->0->>'channel_sku', data->'unmapped'->0->>'variant_id', data->'skus'->>0)
            when 'warehouse_event_failed' then case when data->>'reason' = 'unmapped_status' then 'unmapped_status:' || coalesce(data->>'source', '') || '/' || coalesce(data->>'raw_status', '') end
            when 'webhook_dead' then 'webhook_dead:' || (data->>'endpoint_id')
          end) STORED;--> statement-breakpoint
CREATE INDEX "operational_exceptions_open_single_created_at_idx" ON "operational_exceptions" USING btree ("created_at","id") WHERE "operational_exceptions"."status" = 'open' and "operational_exceptions"."group_key" is null;--> statement-breakpoint
CREATE INDEX "operational_exceptions_open_single_kind_created_at_idx" ON "operational_exceptions" USING btree ("kind","created_at","id") WHERE "operational_exceptions"."status" = 'open' and "operational_exceptions"."group_key" is null;--> statement-breakpoint
CREATE INDEX "operational_exceptions_open_group_key_idx" ON "operational_exceptions" USING btree ("group_key","account_id","environment","created_at") WHERE "operational_exceptions"."status" = 'open' and "operational_exceptions"."group_key" is not null;--> statement-breakpoint
CREATE INDEX "operational_exceptions_open_kind_snoozed_until_idx" ON "operational_exceptions" USING btree ("kind","snoozed_until") WHERE "operational_exceptions"."status" = 'open';--> statement-breakpoint
CREATE INDEX "operational_exceptions_open_assigned_to_idx" ON "operational_exceptions" USING btree ("assigned_to","created_at") WHERE "operational_exceptions"."status" = 'open';