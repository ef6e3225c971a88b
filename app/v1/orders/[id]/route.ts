import { getDb } from "@/db/client";
import { parseBody } from "@/lib/api/request";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { amendOrder, parseIfMatch } from "@/lib/orders/amend";
import { etag } from "@/lib/api/respond";
import { loadOrder } from "@/lib/orders/present";
import { amendOrderSchema } from "@/lib/orders/schema";

// GET /v1/orders/{id} – one order with its shipments; ETag is its version
export const GET = apiRoute<{ id: string }>({}, async ({ request, ctx, params }) => {
  const order = await loadOrder(getDb(), ctx, params.id);
  const tag = etag(order.version);
  if (request.headers.get("if-none-match") === tag) return new Response(null, { status: 304, headers: { ETag: tag } });
  return json(order, 200, { ETag: tag });
});

// PATCH /v1/orders/{id} – amend before pick (If-Match: "<version>" guards concurrent edits)
export const PATCH = apiRoute<{ id: string }>({}, async ({ request, ctx, params }) => {
  const body = await parseBody(request, amendOrderSchema);
  const order = await amendOrder(getDb(), ctx, params.id, body, { ifMatch: parseIfMatch(request.headers.get("if-match")) });
  return json(order, 200, { ETag: etag(order.version) });
});

const { POST, PUT, DELETE } = methodsNotAllowed(["GET", "PATCH"]);
export { POST, PUT, DELETE };
