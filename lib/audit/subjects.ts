import { and, asc, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import {
  shopConnections,
  shopifyFulfillmentPushes,
  shopifyInventoryPushes,
  shopifyWebhookDeliveries,
  shopLocations,
  warehouseEvents,
  warehouses,
  webhookDeliveries,
  webhookEndpoints,
  type Environment,
  type SkuMapping,
} from "@/db/schema";
import type { RoutingRuleObject } from "@/lib/routing/rules";
import type { AuditChange } from "./record";

/**
 * What the audit log keeps of each kind of entity: the fields a person compares between before and after, read in
 * the transaction of the change. Never a secret (a connection's sealed secrets are reduced to whether they are set).
 */

export type Subject = { accountId: string | null; environment: Environment | null; state: Record<string, unknown> };

export function routingRuleState(rule: RoutingRuleObject): Record<string, unknown> {
  return { name: rule.name, priority: rule.priority, active: rule.active, conditions: rule.conditions, warehouse_ids: rule.warehouse_ids };
}

export function skuMappingState(m: SkuMapping): Record<string, unknown> {
  return {
    channel_sku: m.channelSku,
    variant_id: m.variantId,
    sku_id: m.skuId,
    warehouse_item_code: m.warehouseItemCode,
    active: m.active,
    needs_verification: m.needsVerification,
  };
}

export async function warehouseSubject(db: DbOrTx, environment: Environment, id: string): Promise<Subject | undefined> {
  const [w] = await db.select().from(warehouses).where(and(eq(warehouses.id, id), eq(warehouses.environment, environment)));
  return w && { accountId: null, environment, state: { name: w.name, paused: w.paused, daily_capacity: w.dailyCapacity } };
}

/** A shop connection by its domain (the key connecting uses), with its location map. */
export async function shopSubject(db: DbOrTx, shopDomain: string): Promise<(Subject & { id: string }) | undefined> {
  const [c] = await db.select().from(shopConnections).where(eq(shopConnections.shopDomain, shopDomain));
  if (!c) return undefined;
  const locations = await db
    .select({ location: shopLocations.locationGid, warehouse_id: shopLocations.warehouseId })
    .from(shopLocations)
    .where(eq(shopLocations.connectionId, c.id))
    .orderBy(asc(shopLocations.locationGid));
  return {
    id: c.id,
    accountId: c.accountId,
    environment: c.environment,
    state: {
      shop_domain: c.shopDomain,
      admin_url: c.adminUrl,
      inventory_sync_interval_seconds: c.inventorySyncIntervalSeconds,
      active: c.active,
      locations,
      // Whether a secret was replaced is worth knowing; the secret is not. The tail of its sealed form (the
      // authentication tag) differs at every sealing and says nothing about the secret.
      webhook_signing: `sealed …${c.webhookSecretEncrypted.slice(-6)}`,
      admin_access: `sealed …${c.adminTokenEncrypted.slice(-6)}`,
    },
  };
}

/** A connect (or re-connect) of a shop, as the dashboard and the shop command both record it. */
export async function shopChange(db: DbOrTx, before: Subject | undefined, connection: { id: string; shopDomain: string; accountId: string; environment: Environment }): Promise<AuditChange> {
  const after = await shopSubject(db, connection.shopDomain);
  return {
    entityType: "shop",
    entityId: connection.id,
    action: before ? "updated" : "connected",
    before: before?.state,
    after: after?.state,
    accountId: connection.accountId,
    environment: connection.environment,
  };
}

export async function webhookEndpointSubject(db: DbOrTx, id: string): Promise<Subject | undefined> {
  const [e] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
  return e && { accountId: e.accountId, environment: e.environment, state: { url: e.url, status: e.status, disabled_reason: e.disabledReason } };
}

export async function webhookDeliverySubject(db: DbOrTx, id: string): Promise<Subject | undefined> {
  const [d] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id));
  return d && { accountId: d.accountId, environment: d.environment, state: { endpoint_id: d.endpointId, event_id: d.eventId, status: d.status, attempt_count: d.attemptCount } };
}

export async function shopifyDeliverySubject(db: DbOrTx, id: string): Promise<Subject | undefined> {
  const [d] = await db.select().from(shopifyWebhookDeliveries).where(eq(shopifyWebhookDeliveries.id, id));
  return d && { accountId: d.accountId, environment: d.environment, state: { topic: d.topic, state: d.state, attempts: d.attempts } };
}

export async function deadPushSubject(db: DbOrTx, kind: "fulfillment" | "inventory", id: string): Promise<Subject | undefined> {
  if (kind === "inventory") {
    const [p] = await db.select().from(shopifyInventoryPushes).where(eq(shopifyInventoryPushes.id, id));
    return p && { accountId: p.accountId, environment: p.environment, state: { kind, state: p.state, attempts: p.attempts } };
  }
  const [p] = await db.select().from(shopifyFulfillmentPushes).where(eq(shopifyFulfillmentPushes.id, id));
  return p && { accountId: p.accountId, environment: p.environment, state: { kind, order_id: p.orderId, shipment_id: p.shipmentId, state: p.state, attempts: p.attempts } };
}

export async function warehouseEventSubject(db: DbOrTx, id: string): Promise<Subject | undefined> {
  const [e] = await db.select().from(warehouseEvents).where(eq(warehouseEvents.id, id));
  return (
    e && {
      accountId: e.accountId,
      environment: e.environment,
      state: { event_id: e.eventId, order_id: e.orderId, state: e.state, reason: e.reason, attempts: e.attempts },
    }
  );
}
