import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { idParam, listEnvelope, responses } from "@/lib/api/openapi-parts";
import { z } from "@/lib/api/zod";
import {
  amendOrderSchema,
  cancelOrderSchema,
  createOrderSchema,
  listEventsQuery,
  listOrdersQuery,
  MAX_ORDER_LINES,
  orderEventObjectSchema,
  orderNoteSchema,
  orderObjectSchema,
} from "./schema";

const orderId = idParam("ord", "The order's id.");
const etagHeader = { ETag: { $ref: "#/components/headers/ETag" } };
const bodyErrors = ["validation_error", "invalid_json", "unsupported_media_type", "payload_too_large"] as const;

export function registerOrderPaths(registry: OpenAPIRegistry): void {
  registry.registerComponent("headers", "ETag", { description: 'The order\'s version, quoted: `"4"`.', schema: { type: "string" }, example: '"4"' });
  registry.register("Order", orderObjectSchema);
  registry.register("OrderEvent", orderEventObjectSchema);

  registry.registerPath({
    method: "post",
    path: "/v1/orders",
    tags: ["Orders"],
    summary: "Create an order (idempotent)",
    description: [
      "Stock is reserved in the same transaction: when every line fits at the warehouse the order is `received`; otherwise it is `backordered`, nothing is allocated,",
      "and it is allocated first-come-first-served, whole, when stock arrives. Omit `warehouse_id` to let your routing rules choose; when no warehouse can take it",
      'the order is still created, `on_hold` with `hold_reason: "no_eligible_warehouse"`.',
      "Without `shipping_method_id` or `shipping_method` the environment's default method applies. `order_date` defaults to now.",
      `Every SKU must be one of your account's: one unknown SKU rejects the whole order (422 \`unknown_sku\`, \`field: items[i].sku\`). At most ${MAX_ORDER_LINES} lines.`,
      "\n\n**Idempotency.** Send `Idempotency-Key` (kept at least 7 days). The same key with the same body answers 200 with the order as it is now and",
      "`Idempotent-Replayed: true`; with a different body, 422 `idempotency_key_reused`. A duplicate sent while the first is still running waits for it and is",
      "answered as a replay (409 `idempotency_in_progress` if that takes longer than 10 s). Without a key (or with a new one) an existing `reference` answers a replay",
      "when the body is identical (deep-equal JSON, key order ignored) and 409 `duplicate_reference` with `order_id` otherwise. Any number of concurrent duplicates make exactly one order.",
    ].join(" "),
    request: {
      headers: z.object({
        "Idempotency-Key": z.string().max(255).optional().openapi({ description: "1–255 printable ASCII characters; a UUID is a good choice." }),
      }),
      body: { required: true, content: { "application/json": { schema: createOrderSchema } } },
    },
    responses: responses(
      {
        201: {
          description: "Created. `Location: /v1/orders/{id}`.",
          schema: orderObjectSchema,
          headers: { ...etagHeader, Location: { $ref: "#/components/headers/Location" } },
        },
        200: { description: "A replay of an earlier identical request (`Idempotent-Replayed: true`).", schema: orderObjectSchema, headers: etagHeader },
      },
      [...bodyErrors, "unknown_sku", "invalid_warehouse", "invalid_shipping_method", "idempotency_key_reused", "duplicate_reference", "idempotency_in_progress"],
    ),
  });
  registry.registerComponent("headers", "Location", { description: "Where the created resource lives.", schema: { type: "string" }, example: "/v1/orders/ord_01jd2k3m4n5p6q7r8s9t0v1w2x" });

  registry.registerPath({
    method: "get",
    path: "/v1/orders",
    tags: ["Orders"],
    summary: "List orders changed since a point",
    description: "Your orders sorted by `updated_at` then id, with their shipments. Poll with `updated_since` and follow `next_cursor` (see the completeness promise above).",
    request: { query: listOrdersQuery },
    responses: responses({ 200: { description: "A page of orders.", schema: listEnvelope(orderObjectSchema, "OrderList") } }, ["invalid_parameter", "invalid_cursor"]),
  });

  registry.registerPath({
    method: "get",
    path: "/v1/orders/{id}",
    tags: ["Orders"],
    summary: "Get an order with its shipments",
    description: 'The `ETag` is the order\'s version (`"4"`); `If-None-Match` with the current one answers 304.',
    request: { params: orderId },
    responses: responses({ 200: { description: "The order.", schema: orderObjectSchema, headers: etagHeader }, 304: { description: "Unchanged since the ETag you sent." } }, ["not_found"]),
  });

  registry.registerPath({
    method: "patch",
    path: "/v1/orders/{id}",
    tags: ["Orders"],
    summary: "Amend an order before pick",
    description: [
      "Send only what changes. `items` replaces the whole line set and stock is reserved again in the same transaction (the order becomes `backordered`",
      "if the new lines no longer fit); `ship_to` replaces the whole address. Allowed while `received`, `backordered` or `on_hold`; otherwise 409",
      "`too_late_to_amend` with `order_status`. `If-Match: \"<version>\"` is optional; a stale one answers 409 `version_conflict` with `current_version`.",
      "`warehouse_id` cannot be amended (422 `warehouse_change_not_allowed`: cancel and re-create). An order on hold for lack of a warehouse is routed",
      "again when its lines or address change. The version rises by one and `order.updated` is sent. A body that changes nothing answers the order unchanged.",
    ].join(" "),
    request: {
      params: orderId,
      headers: z.object({ "If-Match": z.string().optional().openapi({ example: '"3"' }) }),
      body: { required: true, content: { "application/json": { schema: amendOrderSchema } } },
    },
    responses: responses({ 200: { description: "The amended order.", schema: orderObjectSchema, headers: etagHeader } }, [
      ...bodyErrors,
      "not_found",
      "unknown_sku",
      "invalid_shipping_method",
      "warehouse_change_not_allowed",
      "too_late_to_amend",
      "version_conflict",
    ]),
  });

  registry.registerPath({
    method: "post",
    path: "/v1/orders/{id}/cancel",
    tags: ["Orders"],
    summary: "Cancel an order before pick",
    description: [
      "From `received`, `backordered` or `on_hold`: 200 with status `cancelled`; reserved stock is released and `order.cancelled` is sent.",
      "Cancelling a cancelled order answers 200 again. From `processing`: 409 `picking_started`; from `partially_shipped` or `shipped`: 409 `already_shipped`",
      "(both with `order_status`). The body is optional.",
    ].join(" "),
    request: { params: orderId, body: { required: false, content: { "application/json": { schema: cancelOrderSchema } } } },
    responses: responses({ 200: { description: "The cancelled order.", schema: orderObjectSchema, headers: etagHeader } }, [
      ...bodyErrors,
      "not_found",
      "picking_started",
      "already_shipped",
    ]),
  });

  registry.registerPath({
    method: "get",
    path: "/v1/orders/{id}/events",
    tags: ["Orders"],
    summary: "The order's timeline",
    description: "Everything that happened to the order, oldest first: intake, routing decision with reasons, allocation, amendments, warehouse and carrier reports, notes.",
    request: { params: orderId, query: listEventsQuery },
    responses: responses({ 200: { description: "A page of events.", schema: listEnvelope(orderEventObjectSchema, "OrderEventList") } }, [
      "not_found",
      "invalid_parameter",
      "invalid_cursor",
    ]),
  });

  registry.registerPath({
    method: "post",
    path: "/v1/orders/{id}/notes",
    tags: ["Orders"],
    summary: "Add a note to the order's timeline",
    description: "The note is attributed to your account and visible to the warehouse's support staff.",
    request: { params: orderId, body: { required: true, content: { "application/json": { schema: orderNoteSchema } } } },
    responses: responses({ 201: { description: "The note, as a timeline event.", schema: orderEventObjectSchema } }, [...bodyErrors, "not_found"]),
  });
}
