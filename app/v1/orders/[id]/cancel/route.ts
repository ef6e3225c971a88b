import { getDb } from "@/db/client";
import { parseOptionalBody } from "@/lib/api/request";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { cancelOrder } from "@/lib/orders/cancel";
import { etag } from "@/lib/api/respond";
import { cancelOrderSchema } from "@/lib/orders/schema";

// POST /v1/orders/{id}/cancel – cancel before pick; cancelling a cancelled order answers 200 again
export const POST = apiRoute<{ id: string }>({}, async ({ request, ctx, params }) => {
  const body = await parseOptionalBody(request, cancelOrderSchema);
  const order = await cancelOrder(getDb(), ctx, params.id, body);
  return json(order, 200, { ETag: etag(order.version) });
});

const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
export { GET, PUT, PATCH, DELETE };
