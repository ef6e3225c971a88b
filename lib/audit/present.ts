import type { AuditLogRow } from "@/db/schema";

/** The kinds of entity the log holds, as the filter offers them, in the order people look for them. */
export const AUDIT_ENTITY_LABELS: Record<string, string> = {
  routing_rule: "Routing rule",
  warehouse: "Warehouse",
  sku_mapping: "SKU mapping",
  sku_map_import: "SKU map import",
  status_mapping: "Status mapping",
  stuck_threshold: "Stuck-order threshold",
  shop: "Shop connection",
  shopify_delivery: "Shopify webhook delivery",
  shopify_push: "Shopify push",
  webhook_endpoint: "Webhook endpoint",
  webhook_delivery: "Webhook delivery",
  warehouse_event: "Warehouse event",
  operational_exception: "Exception",
  dashboard_user: "Dashboard user",
  api_key: "API key",
};

export const entityLabel = (type: string) => AUDIT_ENTITY_LABELS[type] ?? type.replaceAll("_", " ");

type Linkable = Pick<AuditLogRow, "entityType" | "entityId" | "action" | "accountId" | "environment" | "before" | "after">;

const field = (row: Linkable, key: string): string | undefined => {
  for (const state of [row.after, row.before]) {
    const value = state && typeof state === "object" ? (state as Record<string, unknown>)[key] : undefined;
    if (typeof value === "string" && value) return value;
  }
  return undefined;
};

/** The dashboard page of the entity a row is about, or null when it has none (or is gone with its page). */
export function entityHref(row: Linkable): string | null {
  const scope = row.accountId ? `?${new URLSearchParams({ account: row.accountId, env: row.environment ?? "sandbox" })}` : "";
  const id = encodeURIComponent(row.entityId);
  switch (row.entityType) {
    case "routing_rule":
      return `/routing${scope}`;
    case "warehouse":
      return row.action === "cutoff_changed" ? "/stuck-thresholds" : `/routing${row.environment ? `?env=${row.environment}` : ""}`;
    case "sku_mapping":
      return row.action === "deleted" || !scope ? `/sku-map${scope}` : `/sku-map/new${scope}&id=${id}`;
    case "sku_map_import":
      return `/sku-map${scope}`;
    case "status_mapping":
      return "/status-mapping";
    case "stuck_threshold":
      return "/stuck-thresholds";
    case "shop":
      return "/shops";
    case "shopify_delivery":
      return "/shops/inbox";
    case "shopify_push": {
      const order = field(row, "order_id");
      return order ? `/orders/${encodeURIComponent(order)}` : "/channel-failures";
    }
    case "webhook_endpoint":
      return `/webhooks/${id}`;
    case "webhook_delivery": {
      const endpoint = field(row, "endpoint_id");
      return endpoint ? `/webhooks/${encodeURIComponent(endpoint)}` : "/webhooks";
    }
    case "warehouse_event": {
      const order = field(row, "order_id");
      return order ? `/orders/${encodeURIComponent(order)}` : "/failed-events";
    }
    case "operational_exception":
      return "/exceptions";
    case "order":
      return `/orders/${id}`;
    case "dashboard_user":
      return "/admin/users";
    case "api_key":
      return "/admin/api-keys";
    default:
      return null;
  }
}

export type DiffLine = { key: string; before?: string; after?: string };

const MAX_VALUE = 120;

function shown(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

const asRecord = (value: unknown): Record<string, unknown> | null =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : value === null || value === undefined ? null : { value };

/**
 * Before and after, compactly: only the fields that differ (both sides), every field of a creation (after only)
 * or of a deletion (before only).
 */
export function auditDiff(before: unknown, after: unknown): DiffLine[] {
  const b = asRecord(before);
  const a = asRecord(after);
  const keys = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])];
  const lines: DiffLine[] = [];
  for (const key of keys) {
    const was = b && key in b ? b[key] : undefined;
    const now = a && key in a ? a[key] : undefined;
    if (b && a && JSON.stringify(was) === JSON.stringify(now)) continue;
    lines.push({ key, ...(b && key in b ? { before: shown(was) } : {}), ...(a && key in a ? { after: shown(now) } : {}) });
  }
  return lines;
}

export const AUDIT_CSV_COLUMNS = ["occurred_at", "actor", "actor_role", "source", "entity_type", "entity_id", "action", "account_id", "environment", "before", "after"] as const;

/**
 * One CSV cell: quoted when it holds a separator, a quote or a line break; and a cell a spreadsheet would run as a
 * formula (starting with = + - @, or a tab or carriage return before one) gets a leading apostrophe, so opening the
 * export never executes what someone typed into a rule name.
 */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? "" : value instanceof Date ? value.toISOString() : typeof value === "string" ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function auditCsvLine(row: AuditLogRow): string {
  return `${[row.occurredAt, row.actor, row.actorRole, row.source, row.entityType, row.entityId, row.action, row.accountId, row.environment, row.before, row.after].map(csvCell).join(",")}\r\n`;
}
