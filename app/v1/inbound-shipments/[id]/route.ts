import { getDb } from "@/db/client";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { loadInbound } from "@/lib/inbound/read";

// GET /v1/inbound-shipments/{id} – one inbound shipment with received quantities and discrepancies
export const GET = apiRoute<{ id: string }>({}, async ({ ctx, params }) => json(await loadInbound(getDb(), ctx, params.id)));

const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(["GET"]);
export { POST, PUT, PATCH, DELETE };
