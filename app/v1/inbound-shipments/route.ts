import { getDb } from "@/db/client";
import { parseBody, parseQuery } from "@/lib/api/request";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { createInboundShipment } from "@/lib/inbound/create";
import { listInbound } from "@/lib/inbound/read";
import { createInboundSchema, inboundListQuery } from "@/lib/inbound/schema";

// POST /v1/inbound-shipments – announce an inbound shipment (ASN); idempotent on reference
export const POST = apiRoute({}, async ({ request, ctx }) => {
  const body = await parseBody(request, createInboundSchema);
  const { created, inbound } = await createInboundShipment(getDb(), ctx, body);
  return json(inbound, created ? 201 : 200, { Location: `/v1/inbound-shipments/${inbound.id}`, ...(created ? {} : { "Idempotent-Replayed": "true" }) });
});

// GET /v1/inbound-shipments – list inbound shipments changed since a point (commit-safe cursor)
export const GET = apiRoute({ feed: true }, async ({ request, ctx }) => {
  return json(await listInbound(getDb(), ctx, parseQuery(request, inboundListQuery)));
});

const { PUT, PATCH, DELETE } = methodsNotAllowed(["GET", "POST"]);
export { PUT, PATCH, DELETE };
