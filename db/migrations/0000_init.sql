CREATE TYPE "public"."environment" AS ENUM('sandbox', 'live');--> statement-breakpoint
CREATE TYPE "public"."api_key_role" AS ENUM('partner', 'warehouse');--> statement-breakpoint
CREATE TYPE "public"."dashboard_role" AS ENUM('support', 'warehouse', 'ops', 'admin');--> statement-breakpoint
CREATE TYPE "public"."adjustment_reason" AS ENUM('damaged', 'cycle_count', 'lost', 'found', 'expired', 'received', 'returned');--> statement-breakpoint
CREATE TYPE "public"."inventory_ledger_kind" AS ENUM('allocate', 'release', 'ship', 'backorder', 'backorder_cleared', 'receive', 'expect', 'adjust', 'cycle_count', 'return_restock', 'return_quarantine');--> statement-breakpoint
CREATE TYPE "public"."allocation_status" AS ENUM('active', 'released', 'consumed');--> statement-breakpoint
CREATE TYPE "public"."exception_status" AS ENUM('open', 'resolved');--> statement-breakpoint
CREATE TYPE "public"."order_status" AS ENUM('received', 'processing', 'partially_shipped', 'shipped', 'on_hold', 'backordered', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."shipment_status" AS ENUM('shipped', 'in_transit', 'out_for_delivery', 'delivered', 'exception', 'voided');--> statement-breakpoint
CREATE TYPE "public"."shopify_webhook_delivery_state" AS ENUM('pending', 'processed', 'ignored', 'dead');--> statement-breakpoint
CREATE TYPE "public"."webhook_delivery_status" AS ENUM('pending', 'succeeded', 'dead', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."webhook_endpoint_status" AS ENUM('active', 'disabled');--> statement-breakpoint
CREATE TYPE "public"."status_mapping_target" AS ENUM('order', 'shipment');--> statement-breakpoint
CREATE TYPE "public"."warehouse_event_state" AS ENUM('applied', 'failed', 'stale', 'ignored', 'flagged', 'duplicate');--> statement-breakpoint
CREATE TYPE "public"."inbound_status" AS ENUM('expected', 'partially_received', 'received');--> statement-breakpoint
CREATE TYPE "public"."return_condition" AS ENUM('resellable', 'damaged', 'defective');--> statement-breakpoint
CREATE TYPE "public"."return_item_kind" AS ENUM('expected', 'received');--> statement-breakpoint
CREATE TYPE "public"."return_status" AS ENUM('expected', 'received', 'processed');--> statement-breakpoint
CREATE TYPE "public"."shopify_push_state" AS ENUM('pending', 'synced', 'dead');--> statement-breakpoint
CREATE TABLE "accounts" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"rate_limit_per_minute" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accounts_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"environment" "environment" NOT NULL,
	"role" "api_key_role" DEFAULT 'partner' NOT NULL,
	"display_prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dashboard_users" (
	"id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" "dashboard_role" NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dashboard_users_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "rate_limit_counters" (
	"key" text PRIMARY KEY NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"count" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "shipping_methods" (
	"id" text PRIMARY KEY NOT NULL,
	"environment" "environment" NOT NULL,
	"name" text NOT NULL,
	"carrier" text NOT NULL,
	"carrier_name" text NOT NULL,
	"service_code" text NOT NULL,
	"tracking_url_template" text,
	"is_default" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "warehouses" (
	"id" text PRIMARY KEY NOT NULL,
	"environment" "environment" NOT NULL,
	"name" text NOT NULL,
	"code" text NOT NULL,
	"address" jsonb NOT NULL,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"priority" integer DEFAULT 100 NOT NULL,
	"paused" boolean DEFAULT false NOT NULL,
	"daily_capacity" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inventory_adjustments" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"environment" "environment" NOT NULL,
	"sku_id" text NOT NULL,
	"warehouse_id" text NOT NULL,
	"quantity_delta" integer NOT NULL,
	"reason" "adjustment_reason" NOT NULL,
	"note" text,
	"source" text NOT NULL,
	"adjusted_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inventory_ledger" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"environment" "environment" NOT NULL,
	"sku_id" text NOT NULL,
	"warehouse_id" text NOT NULL,
	"kind" "inventory_ledger_kind" NOT NULL,
	"reason" text,
	"source" text NOT NULL,
	"ref_type" text,
	"ref_id" text,
	"delta_on_hand" integer DEFAULT 0 NOT NULL,
	"delta_allocated" integer DEFAULT 0 NOT NULL,
	"delta_incoming" integer DEFAULT 0 NOT NULL,
	"delta_backordered" integer DEFAULT 0 NOT NULL,
	"delta_quarantined" integer DEFAULT 0 NOT NULL,
	"balance" jsonb NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inventory_levels" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"environment" "environment" NOT NULL,
	"sku_id" text NOT NULL,
	"warehouse_id" text NOT NULL,
	"on_hand" integer DEFAULT 0 NOT NULL,
	"allocated" integer DEFAULT 0 NOT NULL,
	"incoming" integer DEFAULT 0 NOT NULL,
	"backordered" integer DEFAULT 0 NOT NULL,
	"quarantined" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inventory_levels_on_hand_nonnegative" CHECK ("inventory_levels"."on_hand" >= 0),
	CONSTRAINT "inventory_levels_allocated_within_on_hand" CHECK ("inventory_levels"."allocated" >= 0 AND "inventory_levels"."allocated" <= "inventory_levels"."on_hand"),
	CONSTRAINT "inventory_levels_incoming_nonnegative" CHECK ("inventory_levels"."incoming" >= 0),
	CONSTRAINT "inventory_levels_backordered_nonnegative" CHECK ("inventory_levels"."backordered" >= 0),
	CONSTRAINT "inventory_levels_quarantined_nonnegative" CHECK ("inventory_levels"."quarantined" >= 0)
);
--> statement-breakpoint
CREATE TABLE "skus" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"environment" "environment" NOT NULL,
	"sku" text NOT NULL,
	"description" text,
	"warehouse_item_code" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "allocations" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"order_line_id" text NOT NULL,
	"sku_id" text NOT NULL,
	"warehouse_id" text NOT NULL,
	"quantity" integer NOT NULL,
	"status" "allocation_status" DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"environment" "environment" NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"state" text DEFAULT 'completed' NOT NULL,
	"order_id" text,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "operational_exceptions" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"environment" "environment" NOT NULL,
	"kind" text NOT NULL,
	"status" "exception_status" DEFAULT 'open' NOT NULL,
	"order_id" text,
	"message" text NOT NULL,
	"data" jsonb,
	"resolved_at" timestamp with time zone,
	"resolved_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_events" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"environment" "environment" NOT NULL,
	"order_id" text NOT NULL,
	"type" text NOT NULL,
	"source" text NOT NULL,
	"raw_status" text,
	"status" text,
	"message" text NOT NULL,
	"actor" text,
	"stale" boolean DEFAULT false NOT NULL,
	"data" jsonb,
	"occurred_at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_lines" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"position" integer NOT NULL,
	"sku_id" text,
	"sku" text NOT NULL,
	"channel_sku" text,
	"channel_line_id" text,
	"description" text,
	"quantity" integer NOT NULL,
	"quantity_allocated" integer DEFAULT 0 NOT NULL,
	"quantity_shipped" integer DEFAULT 0 NOT NULL,
	"unit_price" numeric(14, 4),
	"currency" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"environment" "environment" NOT NULL,
	"order_number" text NOT NULL,
	"reference" text NOT NULL,
	"channel" text DEFAULT 'api' NOT NULL,
	"status" "order_status" NOT NULL,
	"hold_reason" text,
	"warehouse_id" text,
	"shipping_method_id" text,
	"order_date" timestamp with time zone NOT NULL,
	"ship_to" jsonb NOT NULL,
	"signature_required" boolean DEFAULT false NOT NULL,
	"insurance" boolean DEFAULT false NOT NULL,
	"gift_message" text,
	"packing_note" text,
	"tags" text[] DEFAULT '{}' NOT NULL,
	"request_hash" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "shipment_items" (
	"id" text PRIMARY KEY NOT NULL,
	"shipment_id" text NOT NULL,
	"order_line_id" text NOT NULL,
	"sku" text NOT NULL,
	"quantity" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "shipment_parcels" (
	"id" text PRIMARY KEY NOT NULL,
	"shipment_id" text NOT NULL,
	"position" integer NOT NULL,
	"tracking_number" text NOT NULL,
	"tracking_url" text,
	"carrier" text,
	"service" text,
	"weight" jsonb,
	"dimensions" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "shipments" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"environment" "environment" NOT NULL,
	"order_id" text NOT NULL,
	"warehouse_id" text NOT NULL,
	"status" "shipment_status" DEFAULT 'shipped' NOT NULL,
	"voided" boolean DEFAULT false NOT NULL,
	"shipped_at" timestamp with time zone NOT NULL,
	"cost_amount" numeric(14, 4),
	"cost_currency" text,
	"external_id" text,
	"status_occurred_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox_events" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"environment" "environment" NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "routing_rules" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"environment" "environment" NOT NULL,
	"priority" integer NOT NULL,
	"name" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"conditions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"warehouse_ids" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "channel_orders" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"environment" "environment" NOT NULL,
	"connection_id" text NOT NULL,
	"shop_domain" text NOT NULL,
	"shopify_order_id" text NOT NULL,
	"shopify_order_name" text NOT NULL,
	"order_id" text NOT NULL,
	"lines" jsonb NOT NULL,
	"shopify_updated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "shop_connections" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"environment" "environment" NOT NULL,
	"shop_domain" text NOT NULL,
	"webhook_secret_encrypted" text NOT NULL,
	"admin_token_encrypted" text NOT NULL,
	"admin_url" text NOT NULL,
	"inventory_sync_interval_seconds" integer DEFAULT 900 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "shop_locations" (
	"id" text PRIMARY KEY NOT NULL,
	"connection_id" text NOT NULL,
	"location_gid" text NOT NULL,
	"warehouse_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "shopify_webhook_deliveries" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"environment" "environment" NOT NULL,
	"connection_id" text NOT NULL,
	"shop_domain" text NOT NULL,
	"dedup_key" text NOT NULL,
	"topic" text NOT NULL,
	"webhook_id" text,
	"event_id" text,
	"api_version" text,
	"raw_body" text NOT NULL,
	"headers" jsonb NOT NULL,
	"state" "shopify_webhook_delivery_state" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	"order_id" text,
	"outcome" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sku_mappings" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"environment" "environment" NOT NULL,
	"channel" text DEFAULT 'shopify' NOT NULL,
	"channel_sku" text,
	"variant_id" text,
	"sku_id" text NOT NULL,
	"warehouse_item_code" text,
	"active" boolean DEFAULT true NOT NULL,
	"last_verified_at" timestamp with time zone,
	"needs_verification" boolean DEFAULT false NOT NULL,
	"inventory_item_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_attempts" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"environment" "environment" NOT NULL,
	"delivery_id" text NOT NULL,
	"endpoint_id" text NOT NULL,
	"attempt_number" integer NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"duration_ms" integer NOT NULL,
	"status_code" integer,
	"response_body" text,
	"error" text,
	"succeeded" boolean NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"environment" "environment" NOT NULL,
	"endpoint_id" text NOT NULL,
	"event_id" text NOT NULL,
	"event_type" text NOT NULL,
	"status" "webhook_delivery_status" DEFAULT 'pending' NOT NULL,
	"attempt_count" integer DEFAULT 0 NOT NULL,
	"cycle_attempts" integer DEFAULT 0 NOT NULL,
	"first_attempt_at" timestamp with time zone,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_until" timestamp with time zone,
	"lease_token" text,
	"last_attempt_at" timestamp with time zone,
	"last_status_code" integer,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	"dead_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_endpoints" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"environment" "environment" NOT NULL,
	"url" text NOT NULL,
	"events" text[] NOT NULL,
	"secret_ciphertext" text NOT NULL,
	"status" "webhook_endpoint_status" DEFAULT 'active' NOT NULL,
	"disabled_reason" text,
	"disabled_at" timestamp with time zone,
	"failing_since" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "status_mapping_changes" (
	"id" text PRIMARY KEY NOT NULL,
	"mapping_id" text NOT NULL,
	"source" text NOT NULL,
	"raw_status" text NOT NULL,
	"action" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"changed_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "status_mappings" (
	"id" text PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"raw_status" text NOT NULL,
	"applies_to" "status_mapping_target" NOT NULL,
	"canonical_status" text NOT NULL,
	"customer_message" text NOT NULL,
	"owner_system" text NOT NULL,
	"label_only" boolean DEFAULT false NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"updated_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "status_mappings_label_is_not_shipped" CHECK (NOT (("status_mappings"."label_only" OR ("status_mappings"."raw_status" ~ '^LABEL(_|$)' AND "status_mappings"."raw_status" !~ '(VOID|CANCEL)'))
               AND "status_mappings"."canonical_status" IN ('shipped', 'partially_shipped', 'in_transit', 'out_for_delivery', 'delivered')))
);
--> statement-breakpoint
CREATE TABLE "warehouse_events" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"environment" "environment" NOT NULL,
	"event_id" text NOT NULL,
	"source" text NOT NULL,
	"type" text NOT NULL,
	"raw_status" text,
	"canonical_status" text,
	"state" "warehouse_event_state" NOT NULL,
	"reason" text,
	"message" text,
	"payload" jsonb NOT NULL,
	"order_id" text,
	"shipment_id" text,
	"attempts" integer DEFAULT 1 NOT NULL,
	"occurred_at" timestamp with time zone,
	"applied_at" timestamp with time zone,
	"last_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inbound_items" (
	"id" text PRIMARY KEY NOT NULL,
	"inbound_shipment_id" text NOT NULL,
	"position" integer NOT NULL,
	"sku_id" text NOT NULL,
	"sku" text NOT NULL,
	"expected_quantity" integer NOT NULL,
	"received_quantity" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbound_items_quantities_nonnegative" CHECK ("inbound_items"."expected_quantity" >= 0 AND "inbound_items"."received_quantity" >= 0)
);
--> statement-breakpoint
CREATE TABLE "inbound_shipments" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"environment" "environment" NOT NULL,
	"reference" text NOT NULL,
	"warehouse_id" text NOT NULL,
	"supplier" text,
	"expected_at" date,
	"status" "inbound_status" DEFAULT 'expected' NOT NULL,
	"received_at" timestamp with time zone,
	"request_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "return_items" (
	"id" text PRIMARY KEY NOT NULL,
	"return_id" text NOT NULL,
	"kind" "return_item_kind" NOT NULL,
	"position" integer NOT NULL,
	"sku_id" text NOT NULL,
	"sku" text NOT NULL,
	"quantity" integer NOT NULL,
	"condition" "return_condition",
	"restocked" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "return_items_quantity_positive" CHECK ("return_items"."quantity" > 0),
	CONSTRAINT "return_items_restocked_only_resellable" CHECK (NOT "return_items"."restocked" OR "return_items"."condition" = 'resellable')
);
--> statement-breakpoint
CREATE TABLE "returns" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"environment" "environment" NOT NULL,
	"order_id" text NOT NULL,
	"rma" text NOT NULL,
	"warehouse_id" text NOT NULL,
	"status" "return_status" DEFAULT 'expected' NOT NULL,
	"received_at" timestamp with time zone,
	"processed_at" timestamp with time zone,
	"request_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "shopify_api_buckets" (
	"shop_domain" text PRIMARY KEY NOT NULL,
	"maximum_available" double precision NOT NULL,
	"restore_rate" double precision NOT NULL,
	"currently_available" double precision NOT NULL,
	"observed_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "shopify_fulfillment_pushes" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"environment" "environment" NOT NULL,
	"connection_id" text NOT NULL,
	"shipment_id" text NOT NULL,
	"order_id" text NOT NULL,
	"state" "shopify_push_state" DEFAULT 'pending' NOT NULL,
	"shopify_fulfillment_id" text,
	"synced_shipment_updated_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"last_error_kind" text,
	"fulfilled_at" timestamp with time zone,
	"dead_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "shopify_inventory_pushes" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"environment" "environment" NOT NULL,
	"connection_id" text NOT NULL,
	"sku_mapping_id" text NOT NULL,
	"sku_id" text NOT NULL,
	"warehouse_id" text NOT NULL,
	"location_gid" text NOT NULL,
	"state" "shopify_push_state" DEFAULT 'pending' NOT NULL,
	"change_seq" integer DEFAULT 1 NOT NULL,
	"pushed_seq" integer DEFAULT 0 NOT NULL,
	"dirty_since" timestamp with time zone,
	"last_pushed_quantity" integer,
	"last_pushed_at" timestamp with time zone,
	"last_reconciled_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"last_error_kind" text,
	"dead_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "shopify_rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"points" integer NOT NULL,
	"expire" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "shopify_sync_cursors" (
	"id" text PRIMARY KEY NOT NULL,
	"connection_id" text NOT NULL,
	"kind" text NOT NULL,
	"watermark" timestamp with time zone NOT NULL,
	"last_run_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "metric_samples" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"value" double precision NOT NULL,
	"account_id" text,
	"environment" "environment",
	"labels" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_adjustments" ADD CONSTRAINT "inventory_adjustments_sku_id_skus_id_fk" FOREIGN KEY ("sku_id") REFERENCES "public"."skus"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_adjustments" ADD CONSTRAINT "inventory_adjustments_warehouse_id_warehouses_id_fk" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_levels" ADD CONSTRAINT "inventory_levels_sku_id_skus_id_fk" FOREIGN KEY ("sku_id") REFERENCES "public"."skus"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_levels" ADD CONSTRAINT "inventory_levels_warehouse_id_warehouses_id_fk" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_order_line_id_order_lines_id_fk" FOREIGN KEY ("order_line_id") REFERENCES "public"."order_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_sku_id_skus_id_fk" FOREIGN KEY ("sku_id") REFERENCES "public"."skus"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_warehouse_id_warehouses_id_fk" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "operational_exceptions" ADD CONSTRAINT "operational_exceptions_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_events" ADD CONSTRAINT "order_events_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_sku_id_skus_id_fk" FOREIGN KEY ("sku_id") REFERENCES "public"."skus"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_warehouse_id_warehouses_id_fk" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_shipping_method_id_shipping_methods_id_fk" FOREIGN KEY ("shipping_method_id") REFERENCES "public"."shipping_methods"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipment_items" ADD CONSTRAINT "shipment_items_shipment_id_shipments_id_fk" FOREIGN KEY ("shipment_id") REFERENCES "public"."shipments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipment_items" ADD CONSTRAINT "shipment_items_order_line_id_order_lines_id_fk" FOREIGN KEY ("order_line_id") REFERENCES "public"."order_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipment_parcels" ADD CONSTRAINT "shipment_parcels_shipment_id_shipments_id_fk" FOREIGN KEY ("shipment_id") REFERENCES "public"."shipments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_warehouse_id_warehouses_id_fk" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_orders" ADD CONSTRAINT "channel_orders_connection_id_shop_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."shop_connections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_orders" ADD CONSTRAINT "channel_orders_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shop_locations" ADD CONSTRAINT "shop_locations_connection_id_shop_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."shop_connections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shop_locations" ADD CONSTRAINT "shop_locations_warehouse_id_warehouses_id_fk" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shopify_webhook_deliveries" ADD CONSTRAINT "shopify_webhook_deliveries_connection_id_shop_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."shop_connections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shopify_webhook_deliveries" ADD CONSTRAINT "shopify_webhook_deliveries_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sku_mappings" ADD CONSTRAINT "sku_mappings_sku_id_skus_id_fk" FOREIGN KEY ("sku_id") REFERENCES "public"."skus"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_delivery_id_webhook_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."webhook_deliveries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_endpoint_id_webhook_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."webhook_endpoints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_endpoint_id_webhook_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."webhook_endpoints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_event_id_outbox_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."outbox_events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_items" ADD CONSTRAINT "inbound_items_inbound_shipment_id_inbound_shipments_id_fk" FOREIGN KEY ("inbound_shipment_id") REFERENCES "public"."inbound_shipments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_items" ADD CONSTRAINT "inbound_items_sku_id_skus_id_fk" FOREIGN KEY ("sku_id") REFERENCES "public"."skus"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_shipments" ADD CONSTRAINT "inbound_shipments_warehouse_id_warehouses_id_fk" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_items" ADD CONSTRAINT "return_items_return_id_returns_id_fk" FOREIGN KEY ("return_id") REFERENCES "public"."returns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_items" ADD CONSTRAINT "return_items_sku_id_skus_id_fk" FOREIGN KEY ("sku_id") REFERENCES "public"."skus"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "returns" ADD CONSTRAINT "returns_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "returns" ADD CONSTRAINT "returns_warehouse_id_warehouses_id_fk" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shopify_fulfillment_pushes" ADD CONSTRAINT "shopify_fulfillment_pushes_connection_id_shop_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."shop_connections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shopify_fulfillment_pushes" ADD CONSTRAINT "shopify_fulfillment_pushes_shipment_id_shipments_id_fk" FOREIGN KEY ("shipment_id") REFERENCES "public"."shipments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shopify_fulfillment_pushes" ADD CONSTRAINT "shopify_fulfillment_pushes_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shopify_inventory_pushes" ADD CONSTRAINT "shopify_inventory_pushes_connection_id_shop_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."shop_connections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shopify_inventory_pushes" ADD CONSTRAINT "shopify_inventory_pushes_sku_mapping_id_sku_mappings_id_fk" FOREIGN KEY ("sku_mapping_id") REFERENCES "public"."sku_mappings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shopify_inventory_pushes" ADD CONSTRAINT "shopify_inventory_pushes_warehouse_id_warehouses_id_fk" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shopify_sync_cursors" ADD CONSTRAINT "shopify_sync_cursors_connection_id_shop_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."shop_connections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_key_hash_idx" ON "api_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "api_keys_account_id_idx" ON "api_keys" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "shipping_methods_environment_name_idx" ON "shipping_methods" USING btree ("environment","name");--> statement-breakpoint
CREATE UNIQUE INDEX "warehouses_environment_code_idx" ON "warehouses" USING btree ("environment","code");--> statement-breakpoint
CREATE INDEX "inventory_adjustments_account_id_environment_updated_at_id_idx" ON "inventory_adjustments" USING btree ("account_id","environment","updated_at","id");--> statement-breakpoint
CREATE INDEX "inventory_ledger_sku_id_warehouse_id_created_at_idx" ON "inventory_ledger" USING btree ("sku_id","warehouse_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "inventory_levels_sku_id_warehouse_id_idx" ON "inventory_levels" USING btree ("sku_id","warehouse_id");--> statement-breakpoint
CREATE INDEX "inventory_levels_warehouse_id_idx" ON "inventory_levels" USING btree ("warehouse_id");--> statement-breakpoint
CREATE UNIQUE INDEX "skus_account_id_environment_sku_idx" ON "skus" USING btree ("account_id","environment","sku");--> statement-breakpoint
CREATE INDEX "skus_account_id_environment_updated_at_id_idx" ON "skus" USING btree ("account_id","environment","updated_at","id");--> statement-breakpoint
CREATE INDEX "allocations_order_id_idx" ON "allocations" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "allocations_sku_id_warehouse_id_status_idx" ON "allocations" USING btree ("sku_id","warehouse_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "idempotency_keys_account_id_environment_key_idx" ON "idempotency_keys" USING btree ("account_id","environment","key");--> statement-breakpoint
CREATE INDEX "idempotency_keys_expires_at_idx" ON "idempotency_keys" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "operational_exceptions_status_created_at_idx" ON "operational_exceptions" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "operational_exceptions_order_id_idx" ON "operational_exceptions" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "order_events_order_id_recorded_at_idx" ON "order_events" USING btree ("order_id","recorded_at");--> statement-breakpoint
CREATE UNIQUE INDEX "order_lines_order_id_position_idx" ON "order_lines" USING btree ("order_id","position");--> statement-breakpoint
CREATE INDEX "order_lines_sku_id_idx" ON "order_lines" USING btree ("sku_id");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_account_id_environment_reference_idx" ON "orders" USING btree ("account_id","environment","reference");--> statement-breakpoint
CREATE INDEX "orders_account_id_environment_updated_at_id_idx" ON "orders" USING btree ("account_id","environment","updated_at","id");--> statement-breakpoint
CREATE INDEX "orders_account_id_environment_order_number_idx" ON "orders" USING btree ("account_id","environment","order_number");--> statement-breakpoint
CREATE INDEX "orders_environment_status_created_at_idx" ON "orders" USING btree ("environment","status","created_at");--> statement-breakpoint
CREATE INDEX "orders_order_number_idx" ON "orders" USING btree ("order_number");--> statement-breakpoint
CREATE INDEX "shipment_items_shipment_id_idx" ON "shipment_items" USING btree ("shipment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "shipment_parcels_shipment_id_position_idx" ON "shipment_parcels" USING btree ("shipment_id","position");--> statement-breakpoint
CREATE INDEX "shipment_parcels_tracking_number_idx" ON "shipment_parcels" USING btree ("tracking_number");--> statement-breakpoint
CREATE INDEX "shipments_account_id_environment_updated_at_id_idx" ON "shipments" USING btree ("account_id","environment","updated_at","id");--> statement-breakpoint
CREATE INDEX "shipments_order_id_idx" ON "shipments" USING btree ("order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "shipments_account_id_environment_external_id_idx" ON "shipments" USING btree ("account_id","environment","external_id");--> statement-breakpoint
CREATE INDEX "outbox_events_account_id_environment_created_at_idx" ON "outbox_events" USING btree ("account_id","environment","created_at");--> statement-breakpoint
CREATE INDEX "routing_rules_account_id_environment_priority_idx" ON "routing_rules" USING btree ("account_id","environment","priority");--> statement-breakpoint
CREATE UNIQUE INDEX "channel_orders_shop_domain_shopify_order_id_idx" ON "channel_orders" USING btree ("shop_domain","shopify_order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "channel_orders_order_id_idx" ON "channel_orders" USING btree ("order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "shop_connections_shop_domain_idx" ON "shop_connections" USING btree ("shop_domain");--> statement-breakpoint
CREATE INDEX "shop_connections_account_id_environment_idx" ON "shop_connections" USING btree ("account_id","environment");--> statement-breakpoint
CREATE UNIQUE INDEX "shop_locations_connection_id_location_gid_idx" ON "shop_locations" USING btree ("connection_id","location_gid");--> statement-breakpoint
CREATE UNIQUE INDEX "shop_locations_connection_id_warehouse_id_idx" ON "shop_locations" USING btree ("connection_id","warehouse_id");--> statement-breakpoint
CREATE UNIQUE INDEX "shopify_webhook_deliveries_shop_domain_dedup_key_idx" ON "shopify_webhook_deliveries" USING btree ("shop_domain","dedup_key");--> statement-breakpoint
CREATE INDEX "shopify_webhook_deliveries_next_attempt_at_idx" ON "shopify_webhook_deliveries" USING btree ("next_attempt_at") WHERE "shopify_webhook_deliveries"."state" = 'pending';--> statement-breakpoint
CREATE INDEX "shopify_webhook_deliveries_account_id_environment_state_received_at_idx" ON "shopify_webhook_deliveries" USING btree ("account_id","environment","state","received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "sku_mappings_account_id_environment_channel_channel_sku_idx" ON "sku_mappings" USING btree ("account_id","environment","channel","channel_sku") WHERE "sku_mappings"."channel_sku" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "sku_mappings_account_id_environment_channel_variant_id_idx" ON "sku_mappings" USING btree ("account_id","environment","channel","variant_id") WHERE "sku_mappings"."variant_id" is not null;--> statement-breakpoint
CREATE INDEX "sku_mappings_sku_id_idx" ON "sku_mappings" USING btree ("sku_id");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_attempts_delivery_id_attempt_number_idx" ON "webhook_attempts" USING btree ("delivery_id","attempt_number");--> statement-breakpoint
CREATE INDEX "webhook_attempts_endpoint_id_started_at_idx" ON "webhook_attempts" USING btree ("endpoint_id","started_at");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_next_attempt_at_id_idx" ON "webhook_deliveries" USING btree ("next_attempt_at","id") WHERE "webhook_deliveries"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "webhook_deliveries_endpoint_id_status_created_at_idx" ON "webhook_deliveries" USING btree ("endpoint_id","status","created_at");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_endpoint_id_lease_until_idx" ON "webhook_deliveries" USING btree ("endpoint_id","lease_until") WHERE "webhook_deliveries"."lease_until" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_deliveries_event_id_endpoint_id_idx" ON "webhook_deliveries" USING btree ("event_id","endpoint_id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_status_dead_at_idx" ON "webhook_deliveries" USING btree ("status","dead_at") WHERE "webhook_deliveries"."status" = 'dead';--> statement-breakpoint
CREATE INDEX "webhook_endpoints_account_id_environment_idx" ON "webhook_endpoints" USING btree ("account_id","environment") WHERE "webhook_endpoints"."status" = 'active' and "webhook_endpoints"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "status_mapping_changes_created_at_idx" ON "status_mapping_changes" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "status_mappings_source_raw_status_idx" ON "status_mappings" USING btree ("source","raw_status");--> statement-breakpoint
CREATE UNIQUE INDEX "warehouse_events_account_id_environment_event_id_idx" ON "warehouse_events" USING btree ("account_id","environment","event_id");--> statement-breakpoint
CREATE INDEX "warehouse_events_state_created_at_idx" ON "warehouse_events" USING btree ("state","created_at");--> statement-breakpoint
CREATE INDEX "warehouse_events_order_id_idx" ON "warehouse_events" USING btree ("order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_items_inbound_shipment_id_position_idx" ON "inbound_items" USING btree ("inbound_shipment_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_items_inbound_shipment_id_sku_id_idx" ON "inbound_items" USING btree ("inbound_shipment_id","sku_id");--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_shipments_account_id_environment_reference_idx" ON "inbound_shipments" USING btree ("account_id","environment","reference");--> statement-breakpoint
CREATE INDEX "inbound_shipments_account_id_environment_updated_at_id_idx" ON "inbound_shipments" USING btree ("account_id","environment","updated_at","id");--> statement-breakpoint
CREATE INDEX "return_items_return_id_kind_position_idx" ON "return_items" USING btree ("return_id","kind","position");--> statement-breakpoint
CREATE UNIQUE INDEX "returns_account_id_environment_rma_idx" ON "returns" USING btree ("account_id","environment","rma");--> statement-breakpoint
CREATE INDEX "returns_account_id_environment_updated_at_id_idx" ON "returns" USING btree ("account_id","environment","updated_at","id");--> statement-breakpoint
CREATE INDEX "returns_order_id_idx" ON "returns" USING btree ("order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "shopify_fulfillment_pushes_shipment_id_idx" ON "shopify_fulfillment_pushes" USING btree ("shipment_id");--> statement-breakpoint
CREATE INDEX "shopify_fulfillment_pushes_next_attempt_at_idx" ON "shopify_fulfillment_pushes" USING btree ("next_attempt_at") WHERE "shopify_fulfillment_pushes"."state" = 'pending';--> statement-breakpoint
CREATE INDEX "shopify_fulfillment_pushes_state_updated_at_idx" ON "shopify_fulfillment_pushes" USING btree ("state","updated_at");--> statement-breakpoint
CREATE INDEX "shopify_fulfillment_pushes_order_id_idx" ON "shopify_fulfillment_pushes" USING btree ("order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "shopify_inventory_pushes_sku_mapping_id_location_gid_idx" ON "shopify_inventory_pushes" USING btree ("sku_mapping_id","location_gid");--> statement-breakpoint
CREATE INDEX "shopify_inventory_pushes_next_attempt_at_idx" ON "shopify_inventory_pushes" USING btree ("next_attempt_at") WHERE "shopify_inventory_pushes"."state" = 'pending';--> statement-breakpoint
CREATE INDEX "shopify_inventory_pushes_sku_id_warehouse_id_idx" ON "shopify_inventory_pushes" USING btree ("sku_id","warehouse_id");--> statement-breakpoint
CREATE INDEX "shopify_inventory_pushes_connection_id_last_reconciled_at_idx" ON "shopify_inventory_pushes" USING btree ("connection_id","last_reconciled_at");--> statement-breakpoint
CREATE INDEX "shopify_inventory_pushes_state_updated_at_idx" ON "shopify_inventory_pushes" USING btree ("state","updated_at");--> statement-breakpoint
CREATE UNIQUE INDEX "shopify_sync_cursors_connection_id_kind_idx" ON "shopify_sync_cursors" USING btree ("connection_id","kind");--> statement-breakpoint
CREATE INDEX "metric_samples_name_recorded_at_idx" ON "metric_samples" USING btree ("name","recorded_at");