import { getDb } from "@/db/client";
import { inTransaction } from "@/db/transaction";
import { parseBody } from "@/lib/api/request";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { shipmentStatusInput } from "@/lib/shipments/schema";
import { updateShipmentStatus } from "@/lib/shipments/status";

// POST /v1/sandbox/shipments/{id}/status – simulate a carrier scan (in_transit, out_for_delivery, delivered, exception)
export const POST = apiRoute<{ id: string }>({ sandboxOnly: true }, async ({ request, ctx, params }) => {
  const body = await parseBody(request, shipmentStatusInput);
  const { shipment } = await inTransaction(getDb(), (tx) => updateShipmentStatus(tx, ctx, { shipmentId: params.id, status: body.status, rawStatus: body.status }));
  return json(shipment);
});

const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
export { GET, PUT, PATCH, DELETE };
