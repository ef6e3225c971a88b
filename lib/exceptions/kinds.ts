/**
 * The kinds of exception the triage queue knows by name, in the order its tabs show them. Other kinds (raised by
 * flows added later) still appear, under their own words. No server imports: the page's client components read it.
 */
export const QUEUE_KINDS = [
  { kind: "stuck_order", label: "Stuck orders" },
  { kind: "no_eligible_warehouse", label: "No warehouse" },
  { kind: "unmapped_sku", label: "Unmapped SKU" },
  { kind: "warehouse_event_failed", label: "Failed warehouse events" },
  { kind: "cancellation_declined", label: "Cancellation declined" },
  { kind: "amendment_rejected", label: "Amendment rejected" },
  { kind: "shopify_push_failed", label: "Channel push failed" },
  { kind: "shopify_webhook_dead", label: "Shopify webhook dead" },
  { kind: "webhook_dead", label: "Partner webhook dead" },
] as const;

/** A failed warehouse/carrier event (unmapped status, unknown order…), raised where the failure is recorded. */
export const WAREHOUSE_EVENT_FAILED = "warehouse_event_failed";
/** A partner webhook delivery that became a dead letter, raised where it died. */
export const WEBHOOK_DEAD = "webhook_dead";

const LABELS: Record<string, string> = Object.fromEntries(QUEUE_KINDS.map((k) => [k.kind, k.label]));

/** A readable label for a kind; an unknown kind is shown as its words. */
export function queueKindLabel(kind: string): string {
  return LABELS[kind] ?? kind.replaceAll("_", " ").replace(/^./, (c) => c.toUpperCase());
}

/** Kinds whose own fix the queue runs (ops/admin, as on the pages that own those retries). */
export type FixKind = "retry_push" | "retry_shopify_webhook" | "replay_event" | "replay_webhook" | "release_hold";

export const FIX_LABELS: Record<FixKind, string> = {
  retry_push: "Retry the push",
  retry_shopify_webhook: "Retry the webhook",
  replay_event: "Replay the event",
  replay_webhook: "Replay the delivery",
  release_hold: "Route again",
};

export function fixOf(kind: string): FixKind | null {
  switch (kind) {
    case "shopify_push_failed":
      return "retry_push";
    case "shopify_webhook_dead":
      return "retry_shopify_webhook";
    case WAREHOUSE_EVENT_FAILED:
      return "replay_event";
    case WEBHOOK_DEAD:
      return "replay_webhook";
    case "no_eligible_warehouse":
      return "release_hold";
    default:
      return null;
  }
}
