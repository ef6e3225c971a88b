import { getDb } from "@/db/client";
import { parseQuery } from "@/lib/api/request";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { adjustmentListQuery, listAdjustments } from "@/lib/inventory/adjustments";

// GET /v1/inventory-adjustments – signed stock changes outside orders, with their reason (commit-safe cursor)
export const GET = apiRoute({ feed: true }, async ({ request, ctx }) => json(await listAdjustments(getDb(), ctx, parseQuery(request, adjustmentListQuery))));

const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(["GET"]);
export { POST, PUT, PATCH, DELETE };
