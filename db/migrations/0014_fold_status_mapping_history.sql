-- The status-mapping history moves into the audit log, its one home: every earlier change keeps who, when, before and after.
INSERT INTO "audit_log" ("id", "occurred_at", "actor", "actor_role", "source", "entity_type", "entity_id", "action", "before", "after")
SELECT 'aud_' || substr("id", 5), "created_at", "changed_by", NULL, 'dashboard', 'status_mapping', "mapping_id", "action", "before", "after"
FROM "status_mapping_changes";--> statement-breakpoint
DROP TABLE "status_mapping_changes" CASCADE;