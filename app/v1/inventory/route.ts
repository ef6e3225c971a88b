import { getDb } from "@/db/client";
import { parseQuery } from "@/lib/api/request";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { listInventory } from "@/lib/inventory/list";
import { inventoryListQuery } from "@/lib/inventory/schema";

// GET /v1/inventory – per-SKU stock by warehouse, changed since a point (commit-safe cursor)
export const GET = apiRoute({ feed: true }, async ({ request, ctx }) => {
  const q = parseQuery(request, inventoryListQuery);
  return json(
    await listInventory(getDb(), ctx, { updatedSince: q.updated_since, cursor: q.cursor, limit: q.limit, sku: q.sku, warehouseId: q.warehouse_id }),
  );
});

const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(["GET"]);
export { POST, PUT, PATCH, DELETE };
