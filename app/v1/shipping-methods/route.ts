import { getDb } from "@/db/client";
import { parseQuery } from "@/lib/api/request";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { listShippingMethods } from "@/lib/reference/list";
import { referenceListQuery } from "@/lib/reference/schema";

// GET /v1/shipping-methods – list the shipping methods of the key's environment
export const GET = apiRoute({}, async ({ request, ctx }) => {
  const query = parseQuery(request, referenceListQuery);
  return json(await listShippingMethods(getDb(), { environment: ctx.environment, cursor: query.cursor, limit: query.limit }));
});

const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(["GET"]);
export { POST, PUT, PATCH, DELETE };
