import { getDb } from "@/db/client";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { getShipment } from "@/lib/shipments/list";

// GET /v1/shipments/{id} – one shipment with its parcels and items
export const GET = apiRoute<{ id: string }>({}, async ({ ctx, params }) => json(await getShipment(getDb(), ctx, params.id)));

const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(["GET"]);
export { POST, PUT, PATCH, DELETE };
