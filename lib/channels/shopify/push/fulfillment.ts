import { and, asc, eq, sql } from "drizzle-orm";
import { queryRows, type Db, type DbOrTx } from "@/db/client";
import {
  channelOrders,
  operationalExceptions,
  orderLines,
  orders,
  shipmentItems,
  shipmentParcels,
  shipments,
  shippingMethods,
  shopifyFulfillmentPushes,
  warehouses,
  type ShopConnection,
  type ShopifyFulfillmentPush,
} from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { appendOrderEvent } from "@/lib/events/timeline";
import { newId } from "@/lib/ids";
import { METRIC, recordMetric } from "@/lib/metrics/record";
import { numericIdOf, toGid } from "@/lib/channels/shopify/connections";
import { AdminApiError, asAdminError } from "@/lib/channels/shopify/admin/errors";
import {
  fulfillmentCancel,
  fulfillmentCreate,
  fulfillmentOrderMove,
  fulfillmentTrackingInfoUpdate,
  orderFulfillmentOrders,
  orderFulfillments,
  type FulfillmentOrderNode,
  type TrackingInput,
} from "@/lib/channels/shopify/admin/operations";
import {
  advanceCursor,
  forEachConnection,
  nextRetryDelay,
  pushContext,
  scanWindow,
  claimDuePushes,
  type ClaimScope,
  type ShopSession,
} from "./common";
import { planFulfillment, unitsToMove, type UnitsToMove } from "./fulfillment-plan";
import { runPushRound, type PushQueue, type RoundOptions } from "./lanes";

export const PUSH_FAILED_EXCEPTION = "shopify_push_failed";

/**
 * Finds the connection's shipments that Shopify has not heard of (or whose newer version it has not), in the
 * commit-safe window since the last scan. New shipments get their push row (the unique shipment id makes a second
 * discovery a no-op); synced rows whose shipment changed since go back to pending for a tracking update.
 */
export async function discoverShipments(db: DbOrTx, connection: ShopConnection, horizon?: string): Promise<number> {
  const { from, to } = await scanWindow(db, connection, "shipments", horizon);
  const found = await queryRows<{ id: string; order_id: string }>(
    db,
    sql`select s.id, s.order_id from ${shipments} s
          join ${channelOrders} co on co.order_id = s.order_id and co.connection_id = ${connection.id}
         where s.account_id = ${connection.accountId} and s.environment = ${connection.environment}
           and s.updated_at >= ${from}::timestamptz and s.updated_at < ${to}::timestamptz`,
  );
  let changed = 0;
  if (found.length) {
    const inserted = await db
      .insert(shopifyFulfillmentPushes)
      .values(found.map((s) => ({ id: newId("sfp"), accountId: connection.accountId, environment: connection.environment, connectionId: connection.id, shipmentId: s.id, orderId: s.order_id })))
      .onConflictDoNothing({ target: shopifyFulfillmentPushes.shipmentId })
      .returning({ id: shopifyFulfillmentPushes.id });
    const requeued = await queryRows<{ id: string }>(
      db,
      sql`update ${shopifyFulfillmentPushes} p set state = 'pending', next_attempt_at = now(), updated_at = now()
            from ${shipments} s
           where s.id = p.shipment_id and p.state = 'synced' and p.connection_id = ${connection.id}
             and s.id in ${found.map((f) => f.id)} and s.updated_at > p.synced_shipment_updated_at
       returning p.id`,
    );
    changed = inserted.length + requeued.length;
  }
  await advanceCursor(db, connection.id, "shipments", to);
  return changed;
}

export function claimFulfillmentPushes(db: DbOrTx, limit: number, scope: ClaimScope = {}): Promise<ShopifyFulfillmentPush[]> {
  return claimDuePushes(db, shopifyFulfillmentPushes, limit, scope);
}

type ShipmentWork = {
  version: string;
  createdAt: Date;
  voided: boolean;
  warehouseId: string;
  warehouseCode: string;
  shopifyOrderGid: string;
  tracking: TrackingInput;
  /** Shopify line item id (numeric) → units in this shipment. */
  shipped: Map<string, number>;
  missingLineIds: string[];
};

async function loadShipmentWork(db: DbOrTx, push: ShopifyFulfillmentPush): Promise<ShipmentWork | undefined> {
  const [row] = await queryRows<{
    version: string;
    created_at: string;
    voided: boolean;
    warehouse_id: string;
    warehouse_code: string;
    shopify_order_id: string;
    carrier_name: string | null;
  }>(
    db,
    sql`select to_char(s.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as version, s.created_at::text as created_at, s.voided, s.warehouse_id,
               w.code as warehouse_code, co.shopify_order_id, sm.carrier_name
          from ${shipments} s
          join ${warehouses} w on w.id = s.warehouse_id
          join ${orders} o on o.id = s.order_id
          join ${channelOrders} co on co.order_id = o.id
          left join ${shippingMethods} sm on sm.id = o.shipping_method_id
         where s.id = ${push.shipmentId} and s.account_id = ${push.accountId} and s.environment = ${push.environment}`,
  );
  if (!row) return undefined;
  const parcels = await db.select().from(shipmentParcels).where(eq(shipmentParcels.shipmentId, push.shipmentId)).orderBy(asc(shipmentParcels.position));
  const items = await db
    .select({ quantity: shipmentItems.quantity, channelLineId: orderLines.channelLineId, orderLineId: orderLines.id })
    .from(shipmentItems)
    .innerJoin(orderLines, eq(orderLines.id, shipmentItems.orderLineId))
    .where(eq(shipmentItems.shipmentId, push.shipmentId));
  const shipped = new Map<string, number>();
  const missingLineIds: string[] = [];
  for (const item of items) {
    if (!item.channelLineId) {
      missingLineIds.push(item.orderLineId);
      continue;
    }
    const key = numericIdOf(item.channelLineId);
    shipped.set(key, (shipped.get(key) ?? 0) + item.quantity);
  }
  return {
    version: row.version,
    createdAt: new Date(row.created_at),
    voided: row.voided,
    warehouseId: row.warehouse_id,
    warehouseCode: row.warehouse_code,
    shopifyOrderGid: row.shopify_order_id.startsWith("gid://") ? row.shopify_order_id : (toGid("Order", row.shopify_order_id) ?? row.shopify_order_id),
    // Every parcel's number and URL: a shipment in three boxes is one fulfillment with three tracking numbers.
    tracking: {
      company: row.carrier_name ?? parcels.find((p) => p.carrier)?.carrier ?? null,
      numbers: parcels.map((p) => p.trackingNumber),
      urls: parcels.map((p) => p.trackingUrl).filter((u): u is string => Boolean(u)),
    },
    shipped,
    missingLineIds,
  };
}

/** The same tracking numbers, whatever their order. */
const sameNumbers = (a: string[], b: string[]) => [...new Set(a)].sort().join("\n") === [...new Set(b)].sort().join("\n");

/**
 * The fulfillment a previous attempt created and lost the answer of (a timeout), recognised by its tracking numbers;
 * only looked for on a retry. A cancelled one does not count: its units are no longer fulfilled by it.
 */
async function lostFulfillment(session: ShopSession, push: ShopifyFulfillmentPush, work: ShipmentWork): Promise<string | undefined> {
  if (push.attempts <= 1 || !work.tracking.numbers.length) return undefined;
  const existing = await orderFulfillments(session.client, work.shopifyOrderGid);
  return existing.find((f) => f.status !== "CANCELLED" && sameNumbers(f.numbers, work.tracking.numbers))?.id;
}

async function readFulfillmentOrders(session: ShopSession, work: ShipmentWork): Promise<FulfillmentOrderNode[]> {
  const fulfillmentOrders = await orderFulfillmentOrders(session.client, work.shopifyOrderGid);
  if (!fulfillmentOrders) throw new AdminApiError("permanent", "ORDER_NOT_FOUND", `Shopify has no order ${work.shopifyOrderGid}.`);
  return fulfillmentOrders;
}

const describeUnits = (lines: UnitsToMove["lines"]) => lines.map((l) => `${l.quantity} × ${l.sku ?? `line item ${numericIdOf(l.lineItemId)}`}`).join(", ");

/**
 * Moves units Shopify routed to another location to the one the hub's warehouse shipped them from, and says so on
 * the order's timeline (Shopify's order page changes: the merchant should know why).
 */
async function moveUnits(db: Db, session: ShopSession, push: ShopifyFulfillmentPush, work: ShipmentWork, move: UnitsToMove, location: string): Promise<void> {
  const { movedFulfillmentOrderId } = await fulfillmentOrderMove(
    session.client,
    move.fulfillmentOrderId,
    location,
    move.lines.map(({ id, quantity }) => ({ id, quantity })),
  );
  await appendOrderEvent(db, pushContext(push), push.orderId, {
    type: "shopify_fulfillment_order_moved",
    message:
      `Shopify had ${describeUnits(move.lines)} at location ${numericIdOf(move.fromLocationId)}; warehouse ${work.warehouseCode} shipped them in shipment ` +
      `${push.shipmentId}, so they were moved to its location ${numericIdOf(location)} for one fulfillment to cover the shipment.`,
    data: {
      shipment_id: push.shipmentId,
      from_location_id: move.fromLocationId,
      to_location_id: location,
      fulfillment_order_id: move.fulfillmentOrderId,
      moved_fulfillment_order_id: movedFulfillmentOrderId,
      lines: move.lines.map((l) => ({ line_item_id: l.lineItemId, sku: l.sku, quantity: l.quantity })),
    },
  });
}

/**
 * Creates the shipment's one fulfillment (or adopts the one a lost answer created). Shopify takes one fulfillment
 * from one location only: shipped units that its routing put elsewhere are first moved to the warehouse's location.
 * Every attempt plans from what Shopify has now, so a retry after a lost move answer moves only what is still away.
 */
async function createOrAdopt(db: Db, session: ShopSession, push: ShopifyFulfillmentPush, work: ShipmentWork): Promise<string> {
  // Adopt what a lost answer already created rather than fulfil twice.
  const lost = await lostFulfillment(session, push, work);
  if (lost) return lost;
  const location = session.locations.find((l) => l.warehouseId === work.warehouseId)?.locationGid ?? null;
  let fulfillmentOrders = await readFulfillmentOrders(session, work);
  if (location) {
    const moves = unitsToMove(fulfillmentOrders, work.shipped, location);
    for (const move of moves) await moveUnits(db, session, push, work, move, location);
    // Moving splits fulfillment orders: plan from what Shopify holds now, not from the ids moved.
    if (moves.length) fulfillmentOrders = await readFulfillmentOrders(session, work);
  }
  const plan = planFulfillment(fulfillmentOrders, work.shipped, location);
  if (!plan.ok && plan.code === "SEVERAL_LOCATIONS" && !location) {
    throw new AdminApiError(
      "permanent",
      "LOCATION_NOT_MAPPED",
      `${plan.reason} Warehouse ${work.warehouseCode} shipped them but is not mapped to a Shopify location, so the hub cannot move them to one. ` +
        `Map warehouse ${work.warehouseCode} to the Shopify location it ships from (the shop's locations at /shops), then retry this push at /channel-failures.`,
    );
  }
  if (!plan.ok) throw new AdminApiError("permanent", "NO_OPEN_LINES", plan.reason);
  return fulfillmentCreate(session.client, { lineItemsByFulfillmentOrder: plan.lineItemsByFulfillmentOrder, trackingInfo: work.tracking, notifyCustomer: true });
}

/**
 * A voided shipment's label was cancelled: its Shopify fulfillment is cancelled too, so Shopify shows those units as
 * unfulfilled again and stops showing the customer a parcel that will never travel. A shipment voided before Shopify
 * heard of it needs nothing, unless a previous attempt created its fulfillment and lost the answer.
 */
async function cancelVoided(db: Db, session: ShopSession, push: ShopifyFulfillmentPush, work: ShipmentWork): Promise<void> {
  const fulfillmentId = push.shopifyFulfillmentId ?? (await lostFulfillment(session, push, work));
  if (!fulfillmentId) return markSynced(db, push, work.version, null);
  const { alreadyCancelled } = await fulfillmentCancel(session.client, fulfillmentId);
  await inTransaction(db, async (tx) => {
    await markSynced(tx, push, work.version, fulfillmentId);
    await appendOrderEvent(tx, pushContext(push), push.orderId, {
      type: "shopify_fulfillment_cancelled",
      message: alreadyCancelled
        ? `Shipment ${push.shipmentId} was voided; its Shopify fulfillment was already cancelled.`
        : `Shipment ${push.shipmentId} was voided, so its Shopify fulfillment was cancelled; Shopify shows its units as unfulfilled again.`,
      data: { shipment_id: push.shipmentId, fulfillment_id: fulfillmentId, already_cancelled: alreadyCancelled },
    });
  });
}

/**
 * One push: create the fulfillment (first time), update its tracking (later versions) or cancel it (the shipment was
 * voided), then record the outcome.
 */
export async function processFulfillmentPush(db: Db, push: ShopifyFulfillmentPush, session: ShopSession | undefined): Promise<void> {
  let what = push.shopifyFulfillmentId ? "tracking update" : "fulfillment";
  try {
    if (!session) throw new AdminApiError("permanent", "NO_CONNECTION", "The shop connection is gone.");
    const work = await loadShipmentWork(db, push);
    if (!work) throw new AdminApiError("permanent", "NO_SHIPMENT", "The shipment or its Shopify order link no longer exists.");
    if (work.voided) {
      what = "fulfillment cancellation";
      return await cancelVoided(db, session, push, work);
    }
    if (work.missingLineIds.length) throw new AdminApiError("permanent", "NO_LINE_ITEM_ID", `Order line(s) ${work.missingLineIds.join(", ")} carry no Shopify line item id.`);

    if (!push.shopifyFulfillmentId) {
      const fulfillmentId = await createOrAdopt(db, session, push, work);
      await inTransaction(db, async (tx) => {
        await markSynced(tx, push, work.version, fulfillmentId, work.tracking.numbers);
        await recordMetric(tx, {
          name: METRIC.fulfillmentCallback,
          value: Math.max(0, (Date.now() - work.createdAt.getTime()) / 1000),
          accountId: push.accountId,
          environment: push.environment,
          labels: { shop: session.connection.shopDomain },
        });
        await appendOrderEvent(tx, pushContext(push), push.orderId, {
          type: "shopify_fulfillment_created",
          message: `Shopify fulfillment created with tracking ${work.tracking.numbers.join(", ")}; the customer was notified.`,
          data: { shipment_id: push.shipmentId, fulfillment_id: fulfillmentId, tracking_numbers: work.tracking.numbers },
        });
      });
      return;
    }
    await updateTracking(db, session, push, push.shopifyFulfillmentId, work);
  } catch (raw) {
    await recordFailure(db, push, asAdminError(raw, `fulfillment push ${push.id}`), what);
  }
}

/**
 * A later version of the shipment (status, parcels): Shopify keeps the tracking current. The customer hears of it
 * only when the tracking numbers differ from those Shopify last received (a parcel added, a label replaced): a new
 * number is news, a carrier scan is not. A row pushed before the hub kept those numbers compares with Shopify's own.
 */
async function updateTracking(db: Db, session: ShopSession, push: ShopifyFulfillmentPush, fulfillmentId: string, work: ShipmentWork): Promise<void> {
  const before =
    push.syncedTrackingNumbers ?? (await orderFulfillments(session.client, work.shopifyOrderGid)).find((f) => f.id === fulfillmentId)?.numbers ?? null;
  const notify = before !== null && !sameNumbers(before, work.tracking.numbers);
  await fulfillmentTrackingInfoUpdate(session.client, fulfillmentId, work.tracking, notify);
  await inTransaction(db, async (tx) => {
    await markSynced(tx, push, work.version, fulfillmentId, work.tracking.numbers);
    if (!notify) return;
    await appendOrderEvent(tx, pushContext(push), push.orderId, {
      type: "shopify_tracking_changed",
      message: `Shopify tracking changed from ${before.join(", ") || "none"} to ${work.tracking.numbers.join(", ") || "none"}; the customer was notified.`,
      data: { shipment_id: push.shipmentId, fulfillment_id: fulfillmentId, tracking_numbers: work.tracking.numbers, previous_tracking_numbers: before },
    });
  });
}

/** Records what Shopify now has; `trackingNumbers` when the push sent tracking (left as is otherwise). */
async function markSynced(db: DbOrTx, push: ShopifyFulfillmentPush, version: string, fulfillmentId: string | null, trackingNumbers?: string[]): Promise<void> {
  await db
    .update(shopifyFulfillmentPushes)
    .set({
      // A newer version that arrived while we pushed keeps the row pending: its tracking goes out next.
      state: sql`case when ${shopifyFulfillmentPushes.state} = 'dead' then 'dead'::shopify_push_state else 'synced'::shopify_push_state end`,
      shopifyFulfillmentId: fulfillmentId,
      syncedShipmentUpdatedAt: sql`${version}::timestamptz`,
      attempts: 0,
      nextAttemptAt: sql`now()`,
      lastError: null,
      lastErrorKind: null,
      ...(trackingNumbers ? { syncedTrackingNumbers: trackingNumbers } : {}),
      ...(fulfillmentId && !push.shopifyFulfillmentId ? { fulfilledAt: sql`now()` } : {}),
    })
    .where(eq(shopifyFulfillmentPushes.id, push.id));
  // If the shipment moved on while we pushed, a scan has set it back to pending or will; make sure of it here.
  await db.execute(sql`update ${shopifyFulfillmentPushes} p set state = 'pending', next_attempt_at = now()
                        from ${shipments} s where p.id = ${push.id} and s.id = p.shipment_id and p.state = 'synced' and s.updated_at > p.synced_shipment_updated_at`);
}

/** `what` names the step that failed (fulfillment, tracking update, fulfillment cancellation) for people reading it. */
async function recordFailure(db: Db, push: ShopifyFulfillmentPush, error: AdminApiError, what: string): Promise<void> {
  const delay = error.transient ? nextRetryDelay(push.attempts) : null;
  const message = error.message.slice(0, 1000);
  if (delay !== null) {
    await db
      .update(shopifyFulfillmentPushes)
      .set({ state: "pending", nextAttemptAt: sql`now() + make_interval(secs => ${delay})`, lastError: message, lastErrorKind: error.kind })
      .where(eq(shopifyFulfillmentPushes.id, push.id));
    return;
  }
  await inTransaction(db, async (tx) => {
    await tx
      .update(shopifyFulfillmentPushes)
      .set({ state: "dead", deadAt: sql`now()`, lastError: message, lastErrorKind: error.kind })
      .where(eq(shopifyFulfillmentPushes.id, push.id));
    const ctx = pushContext(push);
    await appendOrderEvent(tx, ctx, push.orderId, {
      type: "shopify_push_failed",
      message: `The Shopify ${what} for shipment ${push.shipmentId} failed and needs a retry: ${message}`,
      data: { shipment_id: push.shipmentId, error_kind: error.kind, code: error.code },
    });
    const [open] = await tx
      .select({ id: operationalExceptions.id })
      .from(operationalExceptions)
      .where(and(eq(operationalExceptions.orderId, push.orderId), eq(operationalExceptions.kind, PUSH_FAILED_EXCEPTION), eq(operationalExceptions.status, "open")));
    if (!open) {
      await tx.insert(operationalExceptions).values({
        id: newId("exc"),
        accountId: push.accountId,
        environment: push.environment,
        kind: PUSH_FAILED_EXCEPTION,
        orderId: push.orderId,
        message: `Shopify ${what} failed: ${message}`,
        data: { shipment_id: push.shipmentId, push_id: push.id },
      });
    }
  });
}

/**
 * The fulfillment push-back as a queue: shipments of Shopify orders, one fulfillment (then tracking updates, or its
 * cancellation when the shipment is voided) each.
 */
export const fulfillmentQueue: PushQueue<ShopifyFulfillmentPush> = {
  discover: (db, scope) => forEachConnection(db, scope, (connection, horizon) => discoverShipments(db, connection, horizon)),
  claim: claimFulfillmentPushes,
  push: processFulfillmentPush,
};

/** One round, waited for: discover new shipments on every active connection in scope, then push a batch of due rows. */
export async function runFulfillmentPush(db: Db, options: RoundOptions = {}): Promise<number> {
  return runPushRound(db, fulfillmentQueue, options);
}
