import type { Order, Shipment } from "@/db/schema";
import { dayKey, formatDay } from "@/lib/dashboard/format-time";

export type PlainStatusInput = {
  status: Order["status"];
  holdReason: string | null;
  createdAt: Date;
  /** When the order reached its current status (from the timeline), if known. */
  statusSince?: Date | null;
  warehouseName?: string | null;
  lines: { quantity: number; quantityShipped: number }[];
  shipments: { status: Shipment["status"]; shippedAt: Date; statusAt?: Date | null; parcelCount: number }[];
  /**
   * The zone days are told in: the dashboard's, the one the timeline and every other time on the page use, so the
   * sentence and the timeline name the same day. Required: a silent UTC default once put a held order (which has no
   * warehouse) "on hold since 5 December" above a timeline that said 6 December.
   */
  timeZone: string;
};

const HOLD_REASONS: Record<string, string> = {
  no_eligible_warehouse: "no warehouse can fulfil it (no stock or no route to the destination)",
  unmapped_sku: "a product on it is not mapped to a warehouse item yet",
};

const PARCEL_STATE: Record<Shipment["status"], string> = {
  shipped: "awaiting the carrier's first scan",
  in_transit: "in transit",
  out_for_delivery: "out for delivery",
  delivered: "delivered",
  exception: "held up with the carrier",
  voided: "voided",
};

const NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];

function count(n: number): string {
  return NUMBER_WORDS[n] ?? String(n);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** "2 July", "2 and 4 July", "2 July, 4 July and 6 July" for the distinct days among the dates. */
function days(dates: Date[], timeZone: string): string {
  const distinct = [...new Map([...dates].sort((a, b) => a.getTime() - b.getTime()).map((d) => [dayKey(d, timeZone), d])).values()];
  const labels = distinct.map((d) => formatDay(d, timeZone));
  if (labels.length === 2) {
    const [a, b] = labels.map((l) => l.split(" "));
    if (a[1] === b[1]) return `${a[0]} and ${b[0]} ${a[1]}`;
  }
  if (labels.length <= 1) return labels[0] ?? "";
  return `${labels.slice(0, -1).join(", ")} and ${labels[labels.length - 1]}`;
}

/** "one delivered, one in transit" / "both delivered" / "all three in transit" / "delivered" (one parcel). */
function parcelStates(parcels: Shipment["status"][]): string {
  const order: Shipment["status"][] = ["delivered", "out_for_delivery", "in_transit", "shipped", "exception"];
  const tally = new Map<Shipment["status"], number>();
  for (const s of parcels) tally.set(s, (tally.get(s) ?? 0) + 1);
  if (tally.size === 1) {
    const [state] = tally.keys();
    if (parcels.length === 1) return PARCEL_STATE[state];
    return `${parcels.length === 2 ? "both" : `all ${count(parcels.length)}`} ${PARCEL_STATE[state]}`;
  }
  return order
    .filter((s) => tally.has(s))
    .map((s) => `${count(tally.get(s) ?? 0)} ${PARCEL_STATE[s]}`)
    .join(", ");
}

function shippedPart(input: PlainStatusInput, timeZone: string): { text: string; parcels: number } | null {
  const live = input.shipments.filter((s) => s.status !== "voided");
  if (!live.length) return null;
  const parcels = live.flatMap((s) => Array.from({ length: Math.max(1, s.parcelCount) }, () => s.status));
  const when = days(
    live.map((s) => s.shippedAt),
    timeZone,
  );
  const states = parcelStates(parcels);
  if (parcels.length === 1) {
    const shipment = live[0];
    const deliveredOn = shipment.status === "delivered" && shipment.statusAt ? ` on ${formatDay(shipment.statusAt, timeZone)}` : "";
    return { text: `on ${when} in 1 parcel; ${states}${deliveredOn}`, parcels: 1 };
  }
  return { text: `in ${parcels.length} parcels on ${when}; ${states}`, parcels: parcels.length };
}

/**
 * The order's state as a sentence a support agent can read to a customer, e.g.
 * "Shipped in 2 parcels on 2 July; one delivered, one in transit."
 */
export function describeOrderStatus(input: PlainStatusInput): string {
  const tz = input.timeZone;
  const since = input.statusSince ?? input.createdAt;
  const at = input.warehouseName ? ` at ${input.warehouseName}` : "";
  const ordered = input.lines.reduce((n, l) => n + l.quantity, 0);
  const shippedUnits = input.lines.reduce((n, l) => n + Math.min(l.quantityShipped, l.quantity), 0);
  const voided = input.shipments.filter((s) => s.status === "voided").length;
  const voidNote = voided ? ` ${voided === 1 ? "One shipment was" : `${count(voided)} shipments were`} voided.` : "";

  switch (input.status) {
    case "received":
      return `Received on ${formatDay(input.createdAt, tz)}; stock is reserved and it is waiting to be picked${at}.${voidNote}`;
    case "processing":
      return `Being picked and packed${at} since ${formatDay(since, tz)}; nothing has shipped yet.${voidNote}`;
    case "partially_shipped": {
      const part = shippedPart(input, tz);
      const left = ordered - shippedUnits;
      const rest = left > 0 ? ` ${plural(left, "item")} still to ship.` : "";
      return part ? `Partly shipped ${part.text}.${rest}${voidNote}` : `Partly shipped.${rest}${voidNote}`;
    }
    case "shipped": {
      const part = shippedPart(input, tz);
      return part ? `Shipped ${part.text}.${voidNote}` : `Shipped.${voidNote}`;
    }
    case "on_hold": {
      const reason = input.holdReason ? (HOLD_REASONS[input.holdReason] ?? input.holdReason.replaceAll("_", " ")) : "it needs attention from the operations team";
      return `On hold since ${formatDay(since, tz)}: ${reason}. Nothing has shipped.`;
    }
    case "backordered":
      return `Waiting for stock since ${formatDay(since, tz)}: ${plural(ordered - shippedUnits, "item")} on backorder; it will be picked as soon as stock arrives.`;
    case "cancelled":
      return shippedUnits > 0
        ? `Cancelled on ${formatDay(since, tz)} after ${plural(shippedUnits, "item")} had shipped.${voidNote}`
        : `Cancelled on ${formatDay(since, tz)}; nothing was shipped.${voidNote}`;
  }
}
