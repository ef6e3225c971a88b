import { getDb } from "@/db/client";
import { inTransaction } from "@/db/transaction";
import { parseBody } from "@/lib/api/request";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { adjustStock } from "@/lib/inventory/adjust";
import { sandboxInventoryInput } from "@/lib/inventory/schema";

// POST /v1/sandbox/inventory – simulate a cycle count: set a SKU's on_hand at a warehouse (creates the SKU if new)
export const POST = apiRoute({ sandboxOnly: true }, async ({ request, ctx }) => {
  const body = await parseBody(request, sandboxInventoryInput);
  const { inventory } = await inTransaction(getDb(), (tx) =>
    adjustStock(tx, ctx, { sku: body.sku, warehouseId: body.warehouse_id, change: { onHand: body.on_hand }, reason: "cycle_count", createSku: true }),
  );
  return json(inventory);
});

const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
export { GET, PUT, PATCH, DELETE };
