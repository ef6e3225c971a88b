/**
 * The audited actions of this page, apart from the server actions that run them (actions.ts): options and verb,
 * so tests run the very same through performAction.
 */
import { z } from "zod";
import type { DashboardUserInfo } from "@/lib/auth/dashboard-users";
import { rerunHeldOrders } from "@/lib/channels/shopify/sku-map";
import type { DomainContext } from "@/lib/context";
import { skuMappingState } from "@/lib/audit/subjects";
import { ActionRefusal, type Changed, defineAction, recordChange } from "@/lib/dashboard/perform-action";
import { formField } from "@/lib/dashboard/form-data";
import { CHANNEL_OPS_ROLES } from "@/lib/dashboard/nav";
import { formScope, scopeFields } from "@/lib/dashboard/ops-scope";
import type { OpsScope } from "@/lib/sku-map/scope";
import { findMapping, setMappingActive, verifyMapping } from "@/lib/sku-map/mappings";
import { saveMappingAndRelease, type ReleasedOrder } from "@/lib/sku-map/save";

const asUser = (scope: OpsScope, user: DashboardUserInfo): DomainContext => ({ accountId: scope.accountId, environment: scope.environment, source: "dashboard", actor: user.email });

const mappingSchema = z.object({
  ...scopeFields,
  id: formField.text(),
  channelSku: formField.text(),
  variantId: formField.text(),
  accountSku: formField.text(),
  warehouseItemCode: formField.text(),
  active: formField.checkbox(),
});

/** Adds or edits a mapping, then re-runs the account's orders held for unmapped SKUs: the fix takes effect at once. */
export const saveSkuMappingAction = defineAction(
  { roles: CHANNEL_OPS_ROLES, schema: mappingSchema, audit: recordChange },
  async ({ user, input, db }): Promise<Changed & { released: ReleasedOrder[] }> => {
    const scope = await formScope(db, input);
    const before = input.id ? await findMapping(db, scope, input.id) : undefined;
    const saved = await saveMappingAndRelease(db, asUser(scope, user), { ...input, id: input.id || undefined });
    const key = saved.mapping.channelSku ?? saved.mapping.variantId ?? "";
    return {
      message: `${saved.created ? "Added" : "Saved"} the mapping for ${key}.`,
      released: saved.released,
      change: {
        entityType: "sku_mapping",
        entityId: saved.mapping.id,
        // A new form for a key that is already mapped edits that mapping (upsert); its earlier state is not at hand.
        action: saved.created ? "created" : "updated",
        before: before && skuMappingState(before),
        after: { ...skuMappingState(saved.mapping), released_orders: saved.released.map((o) => o.orderNumber) },
        accountId: scope.accountId,
        environment: scope.environment,
      },
    };
  },
);

/** Verify (after a product change) or switch a mapping on/off, from the map's table. */
export const mappingRowAction = defineAction(
  { roles: CHANNEL_OPS_ROLES, schema: z.object({ ...scopeFields, id: formField.text(), op: z.enum(["verify", "activate", "deactivate"]) }), audit: recordChange },
  async ({ user, input, db }): Promise<Changed> => {
    const ctx = asUser(await formScope(db, input), user);
    const before = await findMapping(db, ctx, input.id);
    const row = input.op === "verify" ? await verifyMapping(db, ctx, input.id) : await setMappingActive(db, ctx, input.id, input.op === "activate");
    if (!row || !before) throw new ActionRefusal("This mapping no longer exists; reload the page.");
    const released = input.op === "activate" ? await rerunHeldOrders(db, ctx) : [];
    return {
      message: input.op === "verify" ? "Verified." : input.op === "activate" ? "Active." : "Inactive.",
      change: {
        entityType: "sku_mapping",
        entityId: row.id,
        action: input.op === "verify" ? "verified" : input.op === "activate" ? "activated" : "deactivated",
        before: skuMappingState(before),
        after: { ...skuMappingState(row), ...(released.length ? { released_orders: released } : {}) },
        accountId: ctx.accountId,
        environment: ctx.environment,
      },
    };
  },
);
