import { eq, sql } from "drizzle-orm";
import { queryRows, type Db, type DbOrTx } from "@/db/client";
import { inventoryLevels, shopLocations, shopifyInventoryPushes, skuMappings, skus, type ShopConnection, type ShopifyInventoryPush } from "@/db/schema";
import { newId } from "@/lib/ids";
import { availableOf } from "@/lib/inventory/stock";
import { METRIC, recordMetric } from "@/lib/metrics/record";
import { AdminApiError, asAdminError } from "@/lib/channels/shopify/admin/errors";
import { findInventoryItemId, idempotencyKeyFor, inventoryAvailableAt, inventorySetAvailable } from "@/lib/channels/shopify/admin/operations";
import {
  advanceCursor,
  forEachConnection,
  nextRetryDelay,
  scanWindow,
  claimDuePushes,
  type ClaimScope,
  type ShopSession,
} from "./common";
import { runPushRound, type PushQueue, type RoundOptions } from "./lanes";

/**
 * Marks the push rows of every mapped variant × mapped location whose SKU moved in the commit-safe window. The
 * SKU row's updated_at is its stock clock (moveStock moves it with every ledger row), so one indexed range scan per
 * connection finds all movements; a burst of movements only bumps change_seq, which coalesces into one push.
 */
export async function discoverInventoryChanges(db: DbOrTx, connection: ShopConnection, horizon?: string): Promise<number> {
  const { from, to } = await scanWindow(db, connection, "inventory", horizon);
  const changed = await upsertPushRows(
    db,
    connection,
    sql`s.updated_at >= ${from}::timestamptz and s.updated_at < ${to}::timestamptz`,
    "bump",
  );
  await advanceCursor(db, connection.id, "inventory", to);
  return changed;
}

/**
 * Creates (and with "bump", re-marks) the push rows for the connection's mapped SKUs matching `where` (on skus s).
 * "ensure" only creates the missing ones: a mapping or location added later gets its first push.
 */
export async function upsertPushRows(db: DbOrTx, connection: ShopConnection, where: ReturnType<typeof sql>, mode: "bump" | "ensure"): Promise<number> {
  const rows = await queryRows<{ mapping_id: string; sku_id: string; warehouse_id: string; location_gid: string; changed_at: string }>(
    db,
    sql`select m.id as mapping_id, m.sku_id, l.warehouse_id, l.location_gid, s.updated_at::text as changed_at
          from ${skuMappings} m
          join ${skus} s on s.id = m.sku_id
          join ${shopLocations} l on l.connection_id = ${connection.id}
         where m.account_id = ${connection.accountId} and m.environment = ${connection.environment}
           and m.channel = 'shopify' and m.active and s.account_id = ${connection.accountId} and s.environment = ${connection.environment}
           and ${where}`,
  );
  if (!rows.length) return 0;
  const values = rows.map((r) => ({
    id: newId("sip"),
    accountId: connection.accountId,
    environment: connection.environment,
    connectionId: connection.id,
    skuMappingId: r.mapping_id,
    skuId: r.sku_id,
    warehouseId: r.warehouse_id,
    locationGid: r.location_gid,
    dirtySince: new Date(r.changed_at),
  }));
  const t = shopifyInventoryPushes;
  const query = db.insert(t).values(values);
  const result =
    mode === "ensure"
      ? await query.onConflictDoNothing({ target: [t.skuMappingId, t.locationGid] }).returning({ id: t.id })
      : await query
          .onConflictDoUpdate({
            target: [t.skuMappingId, t.locationGid],
            set: {
              changeSeq: sql`${t.changeSeq} + 1`,
              dirtySince: sql`least(coalesce(${t.dirtySince}, excluded.dirty_since), excluded.dirty_since)`,
              // A dead row stays dead until someone retries it: it would only fail the same way again.
              state: sql`case when ${t.state} = 'dead' then 'dead'::shopify_push_state else 'pending'::shopify_push_state end`,
              nextAttemptAt: sql`case when ${t.state} = 'synced' then now() else ${t.nextAttemptAt} end`,
              updatedAt: sql`now()`,
            },
          })
          .returning({ id: t.id });
  return result.length;
}

export function claimInventoryPushes(db: DbOrTx, limit: number, scope: ClaimScope = {}): Promise<ShopifyInventoryPush[]> {
  return claimDuePushes(db, shopifyInventoryPushes, limit, scope);
}

/** The hub's sellable figure for a SKU at a warehouse (on_hand − allocated, floor 0; quarantined is not on_hand). */
export async function hubAvailable(db: DbOrTx, skuId: string, warehouseId: string): Promise<number> {
  const [level] = await db
    .select({ onHand: inventoryLevels.onHand, allocated: inventoryLevels.allocated })
    .from(inventoryLevels)
    .where(sql`${inventoryLevels.skuId} = ${skuId} and ${inventoryLevels.warehouseId} = ${warehouseId}`);
  return level ? availableOf(level) : 0;
}

/** The variant's inventory item: cached on the SKU map row, looked up once by variant (or SKU) otherwise. */
export async function inventoryItemFor(db: DbOrTx, session: ShopSession, skuMappingId: string): Promise<string> {
  const [mapping] = await db.select().from(skuMappings).where(eq(skuMappings.id, skuMappingId));
  if (!mapping) throw new AdminApiError("permanent", "NO_MAPPING", "The SKU mapping was deleted.");
  if (mapping.inventoryItemId) return mapping.inventoryItemId;
  const id = await findInventoryItemId(session.client, { variantId: mapping.variantId, sku: mapping.channelSku });
  if (!id) throw new AdminApiError("permanent", "NO_INVENTORY_ITEM", `Shopify has no inventory item for ${mapping.variantId ?? `SKU ${mapping.channelSku}`}.`);
  await db.update(skuMappings).set({ inventoryItemId: id, updatedAt: sql`now()` }).where(eq(skuMappings.id, skuMappingId));
  return id;
}

const MAX_STALE_RETRIES = 3;

/**
 * Sets Shopify's `available` to the hub's current figure with compare-and-swap: the base is the figure we last
 * pushed (or Shopify's, read when we have none). A stale base means someone else changed Shopify's number: we re-read
 * it and try again from there, never overwriting blind.
 */
export async function processInventoryPush(db: Db, push: ShopifyInventoryPush, session: ShopSession | undefined): Promise<void> {
  try {
    if (!session) throw new AdminApiError("permanent", "NO_CONNECTION", "The shop connection is gone.");
    const inventoryItemId = await inventoryItemFor(db, session, push.skuMappingId);
    const readShopify = async () => {
      const current = (await inventoryAvailableAt(session.client, [inventoryItemId], push.locationGid)).get(inventoryItemId);
      if (current === undefined) throw new AdminApiError("permanent", "ITEM_NOT_STOCKED_AT_LOCATION", `Inventory item ${inventoryItemId} is not stocked at ${push.locationGid}.`);
      return current;
    };
    // Read at push time: every movement up to now is in this one figure.
    const target = await hubAvailable(db, push.skuId, push.warehouseId);
    let base = push.lastPushedQuantity ?? (await readShopify());
    for (let round = 0; ; round++) {
      if (base === target) break;
      try {
        const key = idempotencyKeyFor([push.id, push.changeSeq, base, target]);
        await inventorySetAvailable(session.client, { inventoryItemId, locationId: push.locationGid, quantity: target, changeFromQuantity: base }, key);
        break;
      } catch (error) {
        if (!(error instanceof AdminApiError && error.hasUserErrorCode("CHANGE_FROM_QUANTITY_STALE")) || round >= MAX_STALE_RETRIES) throw error;
        base = await readShopify();
      }
    }
    await markInventorySynced(db, push, target, session.connection.shopDomain);
  } catch (raw) {
    await recordInventoryFailure(db, push, asAdminError(raw, `inventory push ${push.id}`));
  }
}

async function markInventorySynced(db: DbOrTx, push: ShopifyInventoryPush, quantity: number, shop: string): Promise<void> {
  const t = shopifyInventoryPushes;
  const newer = sql`${t.changeSeq} > ${push.changeSeq}`;
  await db
    .update(t)
    .set({
      lastPushedQuantity: quantity,
      lastPushedAt: sql`now()`,
      pushedSeq: push.changeSeq,
      // Movements that arrived while we pushed keep the row pending; they are newer than the claim.
      state: sql`case when ${t.state} = 'dead' then 'dead'::shopify_push_state when ${newer} then 'pending'::shopify_push_state else 'synced'::shopify_push_state end`,
      dirtySince: sql`case when ${newer} then ${push.updatedAt.toISOString()}::timestamptz else null end`,
      nextAttemptAt: sql`now()`,
      attempts: 0,
      lastError: null,
      lastErrorKind: null,
    })
    .where(eq(t.id, push.id));
  if (push.dirtySince) {
    await recordMetric(db, {
      name: METRIC.inventorySyncLag,
      value: Math.max(0, (Date.now() - push.dirtySince.getTime()) / 1000),
      accountId: push.accountId,
      environment: push.environment,
      labels: { shop, sku_id: push.skuId, location: push.locationGid },
    });
  }
}

async function recordInventoryFailure(db: DbOrTx, push: ShopifyInventoryPush, error: AdminApiError): Promise<void> {
  const delay = error.transient ? nextRetryDelay(push.attempts) : null;
  await db
    .update(shopifyInventoryPushes)
    .set(
      delay !== null
        ? { state: "pending", nextAttemptAt: sql`now() + make_interval(secs => ${delay})`, lastError: error.message.slice(0, 1000), lastErrorKind: error.kind }
        : { state: "dead", deadAt: sql`now()`, lastError: error.message.slice(0, 1000), lastErrorKind: error.kind },
    )
    .where(eq(shopifyInventoryPushes.id, push.id));
}

/** The inventory push-back as a queue: one row per mapped variant and location, coalescing every movement. */
export const inventoryQueue: PushQueue<ShopifyInventoryPush> = {
  discover: (db, scope) => forEachConnection(db, scope, (connection, horizon) => discoverInventoryChanges(db, connection, horizon)),
  claim: claimInventoryPushes,
  push: processInventoryPush,
};

/** One round, waited for: discover movements on every active connection in scope, then push a batch of due rows. */
export async function runInventoryPush(db: Db, options: RoundOptions = {}): Promise<number> {
  return runPushRound(db, inventoryQueue, options);
}
