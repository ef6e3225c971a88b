CREATE TABLE "audit_log" (
	"id" text PRIMARY KEY NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"actor_role" text,
	"source" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text NOT NULL,
	"action" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"account_id" text,
	"environment" "environment",
	CONSTRAINT "audit_log_source" CHECK ("audit_log"."source" in ('dashboard', 'cli', 'api'))
);
--> statement-breakpoint
CREATE INDEX "audit_log_occurred_at_id_idx" ON "audit_log" USING btree ("occurred_at","id");--> statement-breakpoint
CREATE INDEX "audit_log_actor_occurred_at_idx" ON "audit_log" USING btree ("actor","occurred_at","id");--> statement-breakpoint
CREATE INDEX "audit_log_entity_type_occurred_at_idx" ON "audit_log" USING btree ("entity_type","occurred_at","id");--> statement-breakpoint
CREATE INDEX "audit_log_entity_idx" ON "audit_log" USING btree ("entity_type","entity_id","occurred_at","id");--> statement-breakpoint
-- The audit log is append-only for every writer, not only for the product's code: UPDATE, DELETE and TRUNCATE
-- raise. Statement-level, so even a DELETE that matches no row is refused.
CREATE FUNCTION "audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = '55000';
END
$$;--> statement-breakpoint
CREATE TRIGGER "audit_log_append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "audit_log"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_append_only"();
