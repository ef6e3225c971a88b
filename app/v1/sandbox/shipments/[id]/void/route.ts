import { z } from "@/lib/api/zod";
import { getDb } from "@/db/client";
import { inTransaction } from "@/db/transaction";
import { parseOptionalBody } from "@/lib/api/request";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { voidShipment } from "@/lib/shipments/status";

// POST /v1/sandbox/shipments/{id}/void – simulate the label being cancelled (units are not restocked)
export const POST = apiRoute<{ id: string }>({ sandboxOnly: true }, async ({ request, ctx, params }) => {
  await parseOptionalBody(request, z.strictObject({}));
  const { shipment } = await inTransaction(getDb(), (tx) => voidShipment(tx, ctx, { shipmentId: params.id }));
  return json(shipment);
});

const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
export { GET, PUT, PATCH, DELETE };
