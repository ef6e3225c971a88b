import { getDb } from "@/db/client";
import { parseQuery } from "@/lib/api/request";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { listAdjustments } from "@/lib/inventory/adjustments";
import { adjustmentListQuery } from "@/lib/inventory/schema";

// GET /v1/inventory-adjustments – signed stock changes outside orders, with their reason (commit-safe cursor)
export const GET = apiRoute({ feed: true }, async ({ request, ctx }) => json(await listAdjustments(getDb(), ctx, parseQuery(request, adjustmentListQuery))));

const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(["GET"]);
export { POST, PUT, PATCH, DELETE };
