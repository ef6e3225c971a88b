/**
 * The audited actions of this page, apart from the server actions that run them (actions.ts): options and verb,
 * so tests run the very same through performAction.
 */
import { z } from "zod";
import { dashboardActor } from "@/lib/audit/record";
import { defineAction } from "@/lib/dashboard/perform-action";
import { formField } from "@/lib/dashboard/form-data";
import { STATUS_MAPPING_EDIT_ROLES } from "@/lib/dashboard/nav";
import { saveStatusMapping } from "@/lib/status-mapping/mappings";
import { APPLIES_TO } from "@/lib/status-mapping/rules";

const schema = z.object({
  id: z.union([z.literal(""), formField.id(/^stm_[a-z0-9]{10,64}$/)]).default(""),
  source: formField.text(),
  rawStatus: formField.text(),
  appliesTo: z.enum(APPLIES_TO, { error: "Choose order or shipment." }),
  canonicalStatus: formField.text(),
  customerMessage: formField.text(),
  ownerSystem: formField.text(),
  labelOnly: formField.checkbox(),
});

/**
 * Adds or edits a status mapping; the domain checks the guardrails and records the change in the audit log itself
 * (every writer of mappings goes through it), so the wrapper has nothing more to record, only the transaction to open.
 */
export const saveMappingAction = defineAction({ roles: STATUS_MAPPING_EDIT_ROLES, schema, audit: () => null }, async ({ user, input, db }) => {
  const saved = await saveStatusMapping(db, dashboardActor(user), { ...input, id: input.id || undefined });
  return { id: saved.id, source: saved.source, rawStatus: saved.rawStatus, canonicalStatus: saved.canonicalStatus };
});
