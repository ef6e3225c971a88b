import { and, asc, desc, eq, ne } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { auditLog, statusMappings, type StatusMapping } from "@/db/schema";
import { inTransaction, sqlState } from "@/db/transaction";
import { recordAudit, type AuditActor } from "@/lib/audit/record";
import { InvalidFieldsError, ValidationError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { ensureDefaultsOnce } from "./defaults";
import { isLabelOnlyRawStatus, mappingErrors, normalizeRawStatus, normalizeSource, type AppliesTo } from "./rules";

/** The mapping of a raw status, or undefined when nobody has mapped it yet (the event then fails as unmapped). */
export async function resolveStatus(db: DbOrTx, source: string, rawStatus: string): Promise<StatusMapping | undefined> {
  const [row] = await db
    .select()
    .from(statusMappings)
    .where(and(eq(statusMappings.source, normalizeSource(source)), eq(statusMappings.rawStatus, normalizeRawStatus(rawStatus))));
  return row;
}

export async function listStatusMappings(db: Db): Promise<StatusMapping[]> {
  await ensureDefaultsOnce(db);
  return db.select().from(statusMappings).orderBy(asc(statusMappings.source), asc(statusMappings.appliesTo), asc(statusMappings.rawStatus));
}

/** One add or edit of a mapping, as the audit log keeps it. */
export type StatusMappingChange = {
  id: string;
  occurredAt: Date;
  actor: string;
  mappingId: string;
  action: string;
  source: string;
  rawStatus: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
};

/** The latest changes of every mapping, newest first: the audit log's status-mapping rows (its entity index). */
export async function listStatusMappingChanges(db: DbOrTx, { limit = 100 }: { limit?: number } = {}): Promise<StatusMappingChange[]> {
  const rows = await db
    .select()
    .from(auditLog)
    .where(eq(auditLog.entityType, STATUS_MAPPING_ENTITY))
    .orderBy(desc(auditLog.occurredAt), desc(auditLog.id))
    .limit(limit);
  return rows.map((row) => {
    const before = (row.before ?? null) as Record<string, unknown> | null;
    const after = (row.after ?? null) as Record<string, unknown> | null;
    const state = after ?? before ?? {};
    return {
      id: row.id,
      occurredAt: row.occurredAt,
      actor: row.actor,
      mappingId: row.entityId,
      action: row.action,
      source: String(state.source ?? ""),
      rawStatus: String(state.raw_status ?? ""),
      before,
      after,
    };
  });
}

/** The audit log's entity type for a status mapping. */
export const STATUS_MAPPING_ENTITY = "status_mapping";

export type StatusMappingInput = {
  /** Present when editing an existing row. */
  id?: string;
  source: string;
  rawStatus: string;
  appliesTo: AppliesTo;
  canonicalStatus: string;
  customerMessage: string;
  ownerSystem?: string;
  labelOnly?: boolean;
};

function snapshot(m: StatusMapping): Record<string, unknown> {
  return {
    source: m.source,
    raw_status: m.rawStatus,
    applies_to: m.appliesTo,
    canonical_status: m.canonicalStatus,
    customer_message: m.customerMessage,
    owner_system: m.ownerSystem,
    label_only: m.labelOnly,
  };
}

/**
 * Adds or edits a mapping and records the change (who, before, after) in the audit log, in the same transaction. The guardrails
 * are checked here, not only in the form: a label-only status can never map to a departed status.
 */
export async function saveStatusMapping(db: Db, actor: AuditActor, input: StatusMappingInput): Promise<StatusMapping> {
  const source = normalizeSource(input.source);
  const rawStatus = normalizeRawStatus(input.rawStatus);
  const labelOnly = Boolean(input.labelOnly) || isLabelOnlyRawStatus(rawStatus);
  const customerMessage = input.customerMessage.trim();
  const fields = { source, rawStatus, appliesTo: input.appliesTo, canonicalStatus: input.canonicalStatus, labelOnly };
  const errors = mappingErrors(fields);
  if (!customerMessage) errors.customerMessage = "Write the sentence support can read out to a customer.";
  else if (customerMessage.length > 500) errors.customerMessage = "Keep the sentence under 500 characters.";
  if (Object.keys(errors).length) throw new InvalidFieldsError(errors);
  const values = { ...fields, customerMessage, ownerSystem: (input.ownerSystem ?? "").trim() || source, updatedBy: actor.actor };

  try {
    return await inTransaction(db, async (tx) => {
      const clash = await tx
        .select({ id: statusMappings.id })
        .from(statusMappings)
        .where(and(eq(statusMappings.source, source), eq(statusMappings.rawStatus, rawStatus), input.id ? ne(statusMappings.id, input.id) : undefined));
      if (clash.length) throw new ValidationError(`${source} / ${rawStatus} is already mapped; edit that row instead.`, "rawStatus");

      let before: StatusMapping | undefined;
      let saved: StatusMapping;
      if (input.id) {
        [before] = await tx.select().from(statusMappings).where(eq(statusMappings.id, input.id)).for("update");
        if (!before) throw new ValidationError("This mapping no longer exists; reload the page.", "id");
        [saved] = await tx.update(statusMappings).set(values).where(eq(statusMappings.id, input.id)).returning();
      } else {
        [saved] = await tx
          .insert(statusMappings)
          .values({ id: newId("stm"), ...values })
          .returning();
      }
      await recordAudit(tx, {
        ...actor,
        entityType: STATUS_MAPPING_ENTITY,
        entityId: saved.id,
        action: before ? "updated" : "created",
        before: before ? snapshot(before) : null,
        after: snapshot(saved),
      });
      return saved;
    });
  } catch (error) {
    // Two people adding the same status at once: the unique index decides, the loser gets a field error.
    if (sqlState(error) === "23505") throw new ValidationError(`${source} / ${rawStatus} is already mapped; edit that row instead.`, "rawStatus");
    if (sqlState(error) === "23514") throw new ValidationError("A label-only status cannot map to a shipped or moving status.", "canonicalStatus");
    throw error;
  }
}
