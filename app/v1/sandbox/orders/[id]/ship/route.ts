import { getDb } from "@/db/client";
import { inTransaction } from "@/db/transaction";
import { parseOptionalBody } from "@/lib/api/request";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { shipmentContent } from "@/lib/shipments/schema";
import { createShipment, shipmentInputFromContent } from "@/lib/shipments/ship";

// POST /v1/sandbox/orders/{id}/ship – simulate a shipment leaving the warehouse (default: everything unshipped, one parcel)
export const POST = apiRoute<{ id: string }>({ sandboxOnly: true }, async ({ request, ctx, params }) => {
  const content = await parseOptionalBody(request, shipmentContent);
  const { shipment } = await inTransaction(getDb(), (tx) => createShipment(tx, ctx, { orderId: params.id, ...shipmentInputFromContent(content) }));
  return json(shipment, 201, { Location: `/v1/shipments/${shipment.id}` });
});

const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
export { GET, PUT, PATCH, DELETE };
