/**
 * The canonical vocabulary a raw status may map to, and the guardrails on it. Pure functions: the domain
 * (lib/status-mapping/mappings.ts), the dashboard form and the database CHECK all say the same thing.
 */

export const ORDER_TARGETS = ["received", "processing", "shipped", "cancelled", "ignore"] as const;
export const SHIPMENT_TARGETS = ["in_transit", "out_for_delivery", "delivered", "exception", "voided", "ignore"] as const;
export const APPLIES_TO = ["order", "shipment"] as const;

export type AppliesTo = (typeof APPLIES_TO)[number];
export type OrderTarget = (typeof ORDER_TARGETS)[number];
export type ShipmentTarget = (typeof SHIPMENT_TARGETS)[number];
export type CanonicalTarget = OrderTarget | ShipmentTarget;

/** Statuses that claim a parcel has left the building: never what a label alone means. */
export const DEPARTED_STATUSES: readonly string[] = ["shipped", "partially_shipped", "in_transit", "out_for_delivery", "delivered"];

export function targetsFor(appliesTo: AppliesTo): readonly CanonicalTarget[] {
  return appliesTo === "order" ? ORDER_TARGETS : SHIPMENT_TARGETS;
}

/** Sources are lower-case identifiers: "wms", "carrier", "shopify", "acme-wms". */
export function normalizeSource(source: string): string {
  return source.trim().toLowerCase();
}

/** "out for delivery", "Out-For-Delivery" and "OUT_FOR_DELIVERY" are one status. */
export function normalizeRawStatus(raw: string): string {
  return raw.trim().toUpperCase().replace(/[\s-]+/g, "_");
}

/**
 * The label-only rule: a status whose name starts with LABEL (LABEL_CREATED, LABEL_PRINTED, LABEL_PURCHASED, …)
 * only says a label exists, unless it reports the label's void or cancellation. A mapping can also be flagged
 * label-only explicitly for statuses named otherwise (e.g. a WMS's "AWAITING_COLLECTION").
 */
export function isLabelOnlyRawStatus(rawStatus: string): boolean {
  const raw = normalizeRawStatus(rawStatus);
  return /^LABEL(_|$)/.test(raw) && !/(VOID|CANCEL)/.test(raw);
}

export type MappingFields = {
  source: string;
  rawStatus: string;
  appliesTo: AppliesTo;
  canonicalStatus: string;
  labelOnly: boolean;
};

/**
 * Field errors of a mapping, keyed by field (empty when valid). The guardrail lives here, so every writer
 * (dashboard, seed, scripts) is refused the same way.
 */
export function mappingErrors(m: MappingFields): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!/^[a-z][a-z0-9_-]{0,39}$/.test(m.source)) errors.source = "Use a short lower-case system name such as wms, carrier or shopify.";
  if (!/^[A-Z0-9][A-Z0-9_.]{0,63}$/.test(m.rawStatus)) errors.rawStatus = "Use the status exactly as the system sends it (letters, digits, underscores).";
  const targets = targetsFor(m.appliesTo);
  if (!(targets as readonly string[]).includes(m.canonicalStatus)) {
    errors.canonicalStatus = `A ${m.appliesTo} status must map to one of: ${targets.join(", ")}.`;
  } else if ((m.labelOnly || isLabelOnlyRawStatus(m.rawStatus)) && DEPARTED_STATUSES.includes(m.canonicalStatus)) {
    errors.canonicalStatus = `${m.rawStatus} only means a label exists; it cannot map to ${m.canonicalStatus}. Map it to ignore or processing, and let the carrier's first scan move the shipment.`;
  }
  return errors;
}
