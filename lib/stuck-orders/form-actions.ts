import type { DbOrTx } from "@/db/client";
import type { Environment } from "@/db/schema";
import type { ActionCall, AuditEntry, AuditedActionOptions } from "@/lib/dashboard/perform-action";
import { STUCK_THRESHOLD_EDIT_ROLES } from "@/lib/dashboard/nav";
import { formatMinutes } from "./duration";
import { cutoffFormSchema, thresholdsFormSchema } from "./form-schema";
import { THRESHOLDS } from "./stages";
import { levelText, saveThresholds, setWarehouseCutoff, type ThresholdChange } from "./settings";

/**
 * The threshold page's two actions, as dashboardAction takes them (roles, schema, audit) beside their verbs: the
 * page's server actions wrap these, and the tests run the very same through performAction.
 */

type ThresholdsInput = ReturnType<typeof thresholdsFormSchema.parse>;
type CutoffInput = ReturnType<typeof cutoffFormSchema.parse>;

export type SavedThresholds = { message: string; level: string; accountId: string | null; changes: ThresholdChange[] };

const shown = (minutes: number | null) => (minutes === null ? "(inherited)" : formatMinutes(minutes));

export const saveThresholdsOptions: AuditedActionOptions<typeof thresholdsFormSchema, SavedThresholds> = {
  roles: STUCK_THRESHOLD_EDIT_ROLES,
  schema: thresholdsFormSchema,
  // A key's refusal names "minutes" or "stage": the form shows it as its message; the level is a hidden field.
  formField: () => undefined,
  audit: ({ data }): AuditEntry[] =>
    data.changes.map((change) => ({
      entityType: "stuck_threshold",
      entityId: `${data.level}:${change.key}`,
      action: change.after === null ? "cleared" : change.before === null ? "set" : "changed",
      before: change.before === null ? null : { minutes: change.before },
      after: change.after === null ? null : { minutes: change.after },
      accountId: data.accountId,
    })),
};

export async function saveThresholdsVerb({ input, db }: ActionCall<ThresholdsInput, DbOrTx>): Promise<SavedThresholds> {
  const { levelName, changes } = await saveThresholds(db, input);
  const level = levelText(input.level);
  const accountId = input.level.kind === "account" ? input.level.accountId : null;
  if (!changes.length) return { message: `Nothing changed for ${levelName}.`, level, accountId, changes };
  const list = changes.map((c) => `${THRESHOLDS[c.key].words} ${shown(c.before)} → ${shown(c.after)}`).join("; ");
  return { message: `Saved for ${levelName}: ${list}. The detector applies it within a minute.`, level, accountId, changes };
}

export type SavedCutoff = { message: string; warehouseId: string; environment: Environment; before: string | null; after: string | null };

export const saveCutoffOptions: AuditedActionOptions<typeof cutoffFormSchema, SavedCutoff> = {
  roles: STUCK_THRESHOLD_EDIT_ROLES,
  schema: cutoffFormSchema,
  audit: ({ data }) =>
    data.before === data.after
      ? null
      : { entityType: "warehouse", entityId: data.warehouseId, action: "cutoff_changed", before: { cutoff_time: data.before }, after: { cutoff_time: data.after }, environment: data.environment },
};

export async function saveCutoffVerb({ input, db }: ActionCall<CutoffInput, DbOrTx>): Promise<SavedCutoff> {
  const { warehouse, before } = await setWarehouseCutoff(db, input);
  const after = warehouse.cutoffTime;
  const message = after ? `${warehouse.name}: daily cut-off ${after} (${warehouse.timezone}).` : `${warehouse.name}: no daily cut-off.`;
  return { message, warehouseId: warehouse.id, environment: warehouse.environment, before, after };
}
