/**
 * The audited actions of this page, apart from the server actions that run them (actions.ts): options and verb,
 * so tests run the very same through performAction.
 */
import { z } from "zod";
import { retryDelivery } from "@/lib/channels/shopify/process";
import { shopChange, shopifyDeliverySubject, shopSubject } from "@/lib/audit/subjects";
import { connectShop, normalizeShopDomain } from "@/lib/channels/shopify/connections";
import { ActionRefusal, type Changed, defineAction, recordChange } from "@/lib/dashboard/perform-action";
import { formField } from "@/lib/dashboard/form-data";
import { CHANNEL_OPS_ROLES } from "@/lib/dashboard/nav";

const trimmed = () => formField.text().transform((value) => value.trim());

const shopSchema = z
  .object({
    shop: trimmed(),
    account: trimmed(),
    env: formField.text().transform((env) => (env === "live" ? "live" : "sandbox")),
    // Write-only: blank keeps the stored secret, so blank means "not given".
    secret: trimmed().transform((value) => value || undefined),
    token: trimmed().transform((value) => value || undefined),
    adminUrl: trimmed().transform((value) => value || null),
    inventorySyncIntervalSeconds: trimmed().pipe(z.string().regex(/^\d*$/, "Whole seconds.")),
    active: formField.checkbox(),
    // One row per Shopify location: the n-th location goes with the n-th warehouse.
    location: formField.repeated(),
    warehouse: formField.repeated(),
  })
  .transform(({ location, warehouse, inventorySyncIntervalSeconds, ...fields }, ctx) => {
    const locations = location.map((l, i) => ({ location: l.trim(), warehouse: (warehouse[i] ?? "").trim() })).filter((l) => l.location || l.warehouse);
    if (locations.some((l) => !l.location || !l.warehouse)) {
      ctx.addIssue({ code: "custom", path: ["location"], message: "Each row needs a Shopify location id and a warehouse." });
    }
    return { ...fields, locations, inventorySyncIntervalSeconds: inventorySyncIntervalSeconds ? Number(inventorySyncIntervalSeconds) : null };
  });

const DOMAIN_FIELDS: Record<string, string> = { admin_url: "adminUrl", inventory_sync_interval_seconds: "inventorySyncIntervalSeconds" };

/** Connects a shop or updates its connection. Secrets left blank on an update keep the stored ones; none is ever sent back. */
export const saveShopAction = defineAction(
  { roles: CHANNEL_OPS_ROLES, schema: shopSchema, formField: (field) => DOMAIN_FIELDS[field] ?? field, audit: recordChange },
  async ({ input, db }): Promise<Changed> => {
    // A domain that is not one is refused here on its field, as connectShop would.
    const before = await shopSubject(db, normalizeShopDomain(input.shop));
    const { connection, created } = await connectShop(db, {
      shopDomain: input.shop,
      accountName: input.account,
      environment: input.env,
      webhookSecret: input.secret,
      adminToken: input.token,
      adminUrl: input.adminUrl,
      inventorySyncIntervalSeconds: input.inventorySyncIntervalSeconds,
      locations: input.locations,
      active: input.active,
    });
    return { message: `${created ? "Connected" : "Updated"} ${connection.shopDomain}.`, change: await shopChange(db, before, connection) };
  },
);

/** Puts a dead (or failing) webhook delivery back in the queue with fresh retries. */
export const retryDeliveryAction = defineAction(
  { roles: CHANNEL_OPS_ROLES, schema: z.object({ id: trimmed() }), audit: recordChange },
  async ({ input, db }): Promise<Changed> => {
    const before = await shopifyDeliverySubject(db, input.id);
    if (!before || !(await retryDelivery(db, input.id))) throw new ActionRefusal("Already processed, or no longer there.");
    const after = await shopifyDeliverySubject(db, input.id);
    return {
      message: "Queued again.",
      change: { entityType: "shopify_delivery", entityId: input.id, action: "retried", before: before.state, after: after?.state, accountId: before.accountId, environment: before.environment },
    };
  },
);
