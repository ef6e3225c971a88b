import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { statusMappings } from "@/db/schema";
import { newId } from "@/lib/ids";
import { isLabelOnlyRawStatus, type AppliesTo, type CanonicalTarget } from "./rules";

/** updated_by of seeded rows nobody has edited: only these are refreshed when the defaults change. */
export const DEFAULTS_ACTOR = "system:defaults";

type DefaultMapping = { source: string; raw: string; appliesTo: AppliesTo; to: CanonicalTarget; message: string; labelOnly?: boolean };

const PICKUP_WAIT = "Your label has been created and the package is waiting for carrier pickup. Tracking should update after the first carrier scan.";

/** Spec §9's required defaults, plus the carrier and Shopify statuses seen in practice. */
export const DEFAULT_STATUS_MAPPINGS: readonly DefaultMapping[] = [
  // A generic WMS: the warehouse owns picking, packing, labelling and hand-over.
  { source: "wms", raw: "RELEASED", appliesTo: "order", to: "received", message: "Your order has been released to the warehouse and is waiting to be picked." },
  { source: "wms", raw: "PICKING", appliesTo: "order", to: "processing", message: "Your order is being picked in the warehouse." },
  { source: "wms", raw: "PICKED", appliesTo: "order", to: "processing", message: "Your items have been picked and are waiting to be packed." },
  { source: "wms", raw: "PACKED", appliesTo: "order", to: "processing", message: "Your order is packed and waiting for carrier pickup." },
  { source: "wms", raw: "LABEL_CREATED", appliesTo: "order", to: "processing", message: PICKUP_WAIT },
  { source: "wms", raw: "LABEL_PRINTED", appliesTo: "order", to: "processing", message: PICKUP_WAIT },
  { source: "wms", raw: "MANIFESTED", appliesTo: "order", to: "shipped", message: "Your package has been handed to the carrier. Tracking should update after the first carrier scan." },
  { source: "wms", raw: "SHIPPED", appliesTo: "order", to: "shipped", message: "Your order has left the warehouse. Tracking should update after the first carrier scan." },
  { source: "wms", raw: "CANCELLED", appliesTo: "order", to: "cancelled", message: "Your order was cancelled before it left the warehouse." },
  { source: "wms", raw: "VOIDED", appliesTo: "shipment", to: "voided", message: "The shipping label was cancelled; the warehouse will create a new one if the order still ships." },
  { source: "wms", raw: "LABEL_VOIDED", appliesTo: "shipment", to: "voided", message: "The shipping label was cancelled; the warehouse will create a new one if the order still ships." },
  // Carriers: only a physical scan moves a shipment. A label is not a shipment.
  { source: "carrier", raw: "LABEL_CREATED", appliesTo: "shipment", to: "ignore", message: PICKUP_WAIT },
  { source: "carrier", raw: "ACCEPTED", appliesTo: "shipment", to: "in_transit", message: "The carrier has scanned your package and it is on its way." },
  { source: "carrier", raw: "PICKED_UP", appliesTo: "shipment", to: "in_transit", message: "The carrier has collected your package and it is on its way." },
  { source: "carrier", raw: "IN_TRANSIT", appliesTo: "shipment", to: "in_transit", message: "Your package is in transit with the carrier." },
  { source: "carrier", raw: "OUT_FOR_DELIVERY", appliesTo: "shipment", to: "out_for_delivery", message: "Your package is out for delivery today." },
  { source: "carrier", raw: "DELIVERED", appliesTo: "shipment", to: "delivered", message: "Your package has been delivered." },
  { source: "carrier", raw: "EXCEPTION", appliesTo: "shipment", to: "exception", message: "The carrier reported a problem with the delivery; we are looking into it." },
  { source: "carrier", raw: "ATTEMPTED_DELIVERY", appliesTo: "shipment", to: "exception", message: "The carrier tried to deliver your package but could not; it will try again or leave a card." },
  { source: "carrier", raw: "RETURNED_TO_SENDER", appliesTo: "shipment", to: "exception", message: "The carrier is returning your package to us; we will be in touch." },
  // Shopify fulfillment display statuses (fulfillment events) and order fulfillment statuses.
  { source: "shopify", raw: "LABEL_PURCHASED", appliesTo: "shipment", to: "ignore", message: PICKUP_WAIT },
  { source: "shopify", raw: "LABEL_PRINTED", appliesTo: "shipment", to: "ignore", message: PICKUP_WAIT },
  { source: "shopify", raw: "LABEL_VOIDED", appliesTo: "shipment", to: "voided", message: "The shipping label was cancelled." },
  { source: "shopify", raw: "CONFIRMED", appliesTo: "shipment", to: "ignore", message: "The carrier has the shipment details; tracking will update after the first scan." },
  { source: "shopify", raw: "IN_TRANSIT", appliesTo: "shipment", to: "in_transit", message: "Your package is in transit with the carrier." },
  { source: "shopify", raw: "OUT_FOR_DELIVERY", appliesTo: "shipment", to: "out_for_delivery", message: "Your package is out for delivery today." },
  { source: "shopify", raw: "READY_FOR_PICKUP", appliesTo: "shipment", to: "out_for_delivery", message: "Your package is ready to collect from the pickup point." },
  { source: "shopify", raw: "ATTEMPTED_DELIVERY", appliesTo: "shipment", to: "exception", message: "The carrier tried to deliver your package but could not." },
  { source: "shopify", raw: "DELIVERED", appliesTo: "shipment", to: "delivered", message: "Your package has been delivered." },
  { source: "shopify", raw: "PICKED_UP", appliesTo: "shipment", to: "delivered", message: "You collected your package." },
  { source: "shopify", raw: "FAILURE", appliesTo: "shipment", to: "exception", message: "The carrier reported a problem with the delivery; we are looking into it." },
  { source: "shopify", raw: "NOT_DELIVERED", appliesTo: "shipment", to: "exception", message: "The carrier could not deliver your package; we are looking into it." },
  { source: "shopify", raw: "IN_PROGRESS", appliesTo: "order", to: "processing", message: "Your order is being prepared in the warehouse." },
  { source: "shopify", raw: "FULFILLED", appliesTo: "order", to: "shipped", message: "Your order has left the warehouse." },
  { source: "shopify", raw: "CANCELLED", appliesTo: "order", to: "cancelled", message: "Your order was cancelled." },
];

function ownerOf(source: string): string {
  return source === "carrier" ? "carrier" : source === "shopify" ? "shopify" : "wms";
}

/**
 * Seeds the default mappings; safe to run at every start, in every mode, by several instances at once.
 * A default that ops has edited (updated_by is no longer the seed) is left alone.
 */
export async function ensureDefaultStatusMappings(db: DbOrTx): Promise<void> {
  await db
    .insert(statusMappings)
    .values(
      DEFAULT_STATUS_MAPPINGS.map((m) => ({
        id: newId("stm"),
        source: m.source,
        rawStatus: m.raw,
        appliesTo: m.appliesTo,
        canonicalStatus: m.to,
        customerMessage: m.message,
        ownerSystem: ownerOf(m.source),
        labelOnly: m.labelOnly ?? isLabelOnlyRawStatus(m.raw),
        isDefault: true,
        updatedBy: DEFAULTS_ACTOR,
      })),
    )
    .onConflictDoUpdate({
      target: [statusMappings.source, statusMappings.rawStatus],
      set: {
        appliesTo: sql`excluded.applies_to`,
        canonicalStatus: sql`excluded.canonical_status`,
        customerMessage: sql`excluded.customer_message`,
        ownerSystem: sql`excluded.owner_system`,
        labelOnly: sql`excluded.label_only`,
        updatedAt: sql`now()`,
      },
      // Untouched defaults follow the code; edited ones belong to ops. Unchanged rows are not rewritten.
      setWhere: sql`${statusMappings.updatedBy} = ${DEFAULTS_ACTOR} and (${statusMappings.appliesTo}, ${statusMappings.canonicalStatus}, ${statusMappings.customerMessage}, ${statusMappings.ownerSystem}, ${statusMappings.labelOnly}) is distinct from (excluded.applies_to, excluded.canonical_status, excluded.customer_message, excluded.owner_system, excluded.label_only)`,
    });
}

const seeded = new WeakMap<object, Promise<void>>();

/** ensureDefaultStatusMappings once per process and database handle: the lazy path for the first lookup. */
export function ensureDefaultsOnce(db: DbOrTx): Promise<void> {
  let pending = seeded.get(db);
  if (!pending) {
    pending = ensureDefaultStatusMappings(db).catch((error: unknown) => {
      seeded.delete(db);
      throw error;
    });
    seeded.set(db, pending);
  }
  return pending;
}
