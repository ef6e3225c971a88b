import { OpenAPIRegistry, OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import { registerInventoryPaths } from "@/lib/inventory/openapi";
import { registerOrderPaths } from "@/lib/orders/openapi";
import { registerReferencePaths } from "@/lib/reference/openapi";
import { registerShipmentPaths } from "@/lib/shipments/openapi";
import { registerWebhookPaths } from "@/lib/webhooks/openapi";
import { registerInboundPaths } from "@/lib/inbound/openapi";
import { registerReturnPaths } from "@/lib/returns/openapi";
import { registerWarehousePaths } from "@/lib/warehouse-events/openapi";
import { BEARER_AUTH, ErrorEnvelope, PaginationBlock, responses } from "./openapi-parts";
import { z } from "./zod";

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31["generateDocument"]>;

/**
 * Every area describes its own endpoints with the zod schemas its handlers validate with; this list is the
 * whole API. An area that adds endpoints adds its registrar here.
 */
const registrars: ((registry: OpenAPIRegistry) => void)[] = [
  registerOrderPaths,
  registerShipmentPaths,
  registerInventoryPaths,
  registerReferencePaths,
  registerWebhookPaths,
  registerWarehousePaths,
  registerInboundPaths,
  registerReturnPaths,
  registerDocumentPath,
];

function registerDocumentPath(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: "get",
    path: "/v1/openapi.json",
    tags: ["Meta"],
    summary: "This document",
    description: "The OpenAPI 3.1 description of the API, generated from the schemas that validate requests. No authentication.",
    security: [],
    responses: responses({ 200: { description: "The OpenAPI document.", schema: z.object({ openapi: z.string() }).catchall(z.unknown()) } }, [], { auth: false }),
  });
}

const description = `The fulfillment hub's REST API for ERPs and OMSs: push orders, poll shipments and inventory back.

**Authentication.** \`Authorization: Bearer <key>\`. \`wms_test_…\` keys act in the sandbox, \`wms_live_…\` keys in production;
ids of one environment never resolve in the other. Another account's ids answer 404 \`not_found\`.

**Errors.** Every non-2xx body is the \`Error\` envelope; branch on \`error.code\`. Every response carries \`X-Request-Id\`
(a valid incoming one is echoed).

**Rate limits.** Per key per minute; every authenticated response carries \`X-RateLimit-Limit\`, \`X-RateLimit-Remaining\`
and \`X-RateLimit-Reset\` (unix seconds). Over the limit: 429 \`rate_limited\` with \`Retry-After\` (seconds).

**Lists and incremental polling.** Lists return \`{ data, pagination: { next_cursor, has_more } }\`, accept \`limit\` (1–200,
default 50) and \`cursor\` (opaque; a tampered cursor is 400 \`invalid_cursor\`). Unknown query parameters are refused with
400 \`invalid_parameter\`. Lists of changing resources also accept \`updated_since\` and are sorted by \`updated_at\`, then id.

*Completeness promise:* poll with \`updated_since\` = the newest \`updated_at\` you have seen, follow \`next_cursor\` until
\`has_more\` is false, and you never miss a change — including one whose transaction began earlier and committed later than
a change you already received. Changes still being committed are held back until they are visible, so a change may be
delivered more than once, never zero times. Deduplicate by \`id\` and \`updated_at\`.`;

function build(): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", BEARER_AUTH, {
    type: "http",
    scheme: "bearer",
    description: "An API key: `wms_test_…` (sandbox) or `wms_live_…` (production).",
  });
  const header = (description: string, example: string | number) => ({ description, schema: { type: typeof example === "number" ? "integer" : "string" } as const, example });
  registry.registerComponent("headers", "X-RateLimit-Limit", header("Requests allowed per minute for this key.", 600));
  registry.registerComponent("headers", "X-RateLimit-Remaining", header("Requests left in the current window.", 598));
  registry.registerComponent("headers", "X-RateLimit-Reset", header("When the window resets, in unix seconds.", 1782043260));
  registry.registerComponent("headers", "X-Request-Id", header("The request's id (echoed when the client sent a valid one).", "req_01jd2k3m4n5p6q7r8s9t0v1w2x"));
  registry.registerComponent("headers", "Retry-After", header("Seconds to wait before retrying.", 30));
  registry.registerComponent("headers", "Allow", header("The methods this path serves.", "GET"));
  registry.register("Error", ErrorEnvelope);
  registry.register("Pagination", PaginationBlock);
  for (const register of registrars) register(registry);

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: { title: "Fulfillment hub API", version: "1.0.0", description },
    servers: [{ url: "/", description: "This deployment" }],
    security: [{ [BEARER_AUTH]: [] }],
  });
}

let cached: { document: OpenApiDocument; body: string } | undefined;

/** The document, built once per process: the schemas do not change while it runs. */
export function openApiDocument(): OpenApiDocument {
  cached ??= (() => {
    const document = build();
    return { document, body: JSON.stringify(document) };
  })();
  return cached.document;
}

/** The serialized document, for the route (serialized once too). */
export function openApiJson(): string {
  openApiDocument();
  return cached!.body;
}
