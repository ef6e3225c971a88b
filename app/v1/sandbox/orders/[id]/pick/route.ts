import { z } from "@/lib/api/zod";
import { getDb } from "@/db/client";
import { inTransaction } from "@/db/transaction";
import { parseOptionalBody } from "@/lib/api/request";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { loadOrder } from "@/lib/orders/present";
import { startPicking } from "@/lib/shipments/pick";

// POST /v1/sandbox/orders/{id}/pick – simulate the warehouse starting to pick (order → processing)
export const POST = apiRoute<{ id: string }>({ sandboxOnly: true }, async ({ request, ctx, params }) => {
  await parseOptionalBody(request, z.strictObject({}));
  const order = await inTransaction(getDb(), async (tx) => {
    await startPicking(tx, ctx, { orderId: params.id });
    return loadOrder(tx, ctx, params.id);
  });
  return json(order);
});

const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
export { GET, PUT, PATCH, DELETE };
