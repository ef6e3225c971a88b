import { getDb } from "@/db/client";
import { idempotencyKeyOf, parseBody, parseQuery } from "@/lib/api/request";
import { etag } from "@/lib/api/respond";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { createOrder } from "@/lib/orders/create";
import { listOrders } from "@/lib/orders/list";
import { createOrderSchema, listOrdersQuery } from "@/lib/orders/schema";

// POST /v1/orders – create an order (idempotent on Idempotency-Key and on reference)
export const POST = apiRoute({}, async ({ request, ctx }) => {
  const idempotencyKey = idempotencyKeyOf(request);
  const body = await parseBody(request, createOrderSchema);
  const { order, created } = await createOrder(getDb(), ctx, body, { idempotencyKey, channel: "api" });
  return json(order, created ? 201 : 200, {
    Location: `/v1/orders/${order.id}`,
    ETag: etag(order.version),
    ...(created ? {} : { "Idempotent-Replayed": "true" }),
  });
});

// GET /v1/orders – list orders changed since a point (commit-safe cursor)
export const GET = apiRoute({ feed: true }, async ({ request, ctx }) => json(await listOrders(getDb(), ctx, parseQuery(request, listOrdersQuery))));

const { PUT, PATCH, DELETE } = methodsNotAllowed(["GET", "POST"]);
export { PUT, PATCH, DELETE };
