/**
 * The stages an order can get stuck in, and how long it may stay in each before someone on duty should look.
 * These are the defaults; ops override them globally, per account or per warehouse (stuck_thresholds).
 */

export const STUCK_STAGES = [
  "not_released",
  "not_picked",
  "not_shipped",
  "no_carrier_scan",
  "stalled_in_transit",
  "backordered_too_long",
  "channel_not_updated",
  "return_not_restocked",
] as const;
export type StuckStage = (typeof STUCK_STAGES)[number];

/**
 * What a threshold is set for: a stage, or stalled_out_for_delivery, the shorter wait of stalled_in_transit once
 * the parcel is out for delivery (a parcel on the van for a day is late; one between depots for a day is not).
 */
export const THRESHOLD_KEYS = [...STUCK_STAGES, "stalled_out_for_delivery"] as const;
export type ThresholdKey = (typeof THRESHOLD_KEYS)[number];

export type StageDefinition = {
  stage: StuckStage;
  /** Words after "Stuck:" on the timeline: "Stuck: not picked for 5 h (threshold 4 h)". */
  words: string;
  defaultMinutes: number;
  nextStep: string;
};

const HOUR = 60;

export const THRESHOLDS: Record<ThresholdKey, StageDefinition> = {
  not_released: {
    stage: "not_released",
    words: "not released to a warehouse",
    defaultMinutes: 15,
    nextStep: "Fix what holds it (map the SKU, choose a warehouse or change a routing rule), then release the hold.",
  },
  not_picked: {
    stage: "not_picked",
    words: "not picked",
    defaultMinutes: 4 * HOUR,
    nextStep: "Ask the warehouse to start picking, or move the order to another warehouse.",
  },
  not_shipped: {
    stage: "not_shipped",
    words: "picked but not shipped",
    defaultMinutes: 8 * HOUR,
    nextStep: "Ask the warehouse whether the order is packed and labelled; a short pick needs a recount.",
  },
  no_carrier_scan: {
    stage: "no_carrier_scan",
    words: "labelled without a carrier scan",
    defaultMinutes: 24 * HOUR,
    nextStep: "Check the parcel was handed to the carrier; if not, book a pickup or void the label.",
  },
  stalled_in_transit: {
    stage: "stalled_in_transit",
    words: "in transit without a carrier scan",
    defaultMinutes: 72 * HOUR,
    nextStep: "Open a trace with the carrier and tell the customer it is being looked into.",
  },
  stalled_out_for_delivery: {
    stage: "stalled_in_transit",
    words: "out for delivery without a carrier scan",
    defaultMinutes: 24 * HOUR,
    nextStep: "Open a trace with the carrier: a parcel out for delivery for a day is likely lost or misdelivered.",
  },
  backordered_too_long: {
    stage: "backordered_too_long",
    words: "backordered",
    defaultMinutes: 48 * HOUR,
    nextStep: "Check inbound stock for its SKUs; offer the customer a partial shipment, a substitute or a cancellation.",
  },
  channel_not_updated: {
    stage: "channel_not_updated",
    words: "shipped without the channel being told",
    defaultMinutes: 15,
    nextStep: "Check the shop connection and the channel push queue; retry the push.",
  },
  return_not_restocked: {
    stage: "return_not_restocked",
    words: "returned and not restocked",
    defaultMinutes: 48 * HOUR,
    nextStep: "Ask the warehouse to inspect the returned items and restock what is resellable.",
  },
};

export function isThresholdKey(value: string): value is ThresholdKey {
  return (THRESHOLD_KEYS as readonly string[]).includes(value);
}
