import { getDb } from "@/db/client";
import { parseQuery } from "@/lib/api/request";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { listOrderEvents } from "@/lib/orders/list";
import { listEventsQuery } from "@/lib/orders/schema";

// GET /v1/orders/{id}/events – the order's timeline, oldest first
export const GET = apiRoute<{ id: string }>({}, async ({ request, ctx, params }) =>
  json(await listOrderEvents(getDb(), ctx, params.id, parseQuery(request, listEventsQuery))),
);

const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(["GET"]);
export { POST, PUT, PATCH, DELETE };
