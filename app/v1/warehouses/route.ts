import { getDb } from "@/db/client";
import { parseQuery } from "@/lib/api/request";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { listWarehouses } from "@/lib/reference/list";
import { referenceListQuery } from "@/lib/reference/schema";

// GET /v1/warehouses – list the warehouses of the key's environment
export const GET = apiRoute({}, async ({ request, ctx }) => {
  const query = parseQuery(request, referenceListQuery);
  return json(await listWarehouses(getDb(), { environment: ctx.environment, cursor: query.cursor, limit: query.limit }));
});

const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(["GET"]);
export { POST, PUT, PATCH, DELETE };
