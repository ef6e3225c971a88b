import { getDb } from "@/db/client";
import { parseQuery } from "@/lib/api/request";
import { apiRoute, listJson, methodsNotAllowed } from "@/lib/api/route";
import { listShipments } from "@/lib/shipments/list";
import { shipmentListQuery } from "@/lib/shipments/schema";

// GET /v1/shipments – list shipments changed since a point (commit-safe cursor)
export const GET = apiRoute({ feed: true }, async ({ request, ctx }) => {
  const q = parseQuery(request, shipmentListQuery);
  const page = await listShipments(getDb(), ctx, { updatedSince: q.updated_since, cursor: q.cursor, limit: q.limit, orderId: q.order_id });
  return listJson(page.dataJson, page.pagination);
});

const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(["GET"]);
export { POST, PUT, PATCH, DELETE };
