import { getDb } from "@/db/client";
import { inTransaction } from "@/db/transaction";
import { parseBody } from "@/lib/api/request";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { receiveInbound } from "@/lib/inbound/receive";
import { inboundReceiptSchema } from "@/lib/inbound/schema";

// POST /v1/sandbox/inbound-shipments/{id}/receive – simulate the warehouse receiving goods against an ASN
export const POST = apiRoute<{ id: string }>({ sandboxOnly: true }, async ({ request, ctx, params }) => {
  const body = await parseBody(request, inboundReceiptSchema);
  const inbound = await inTransaction(getDb(), (tx) =>
    receiveInbound(tx, ctx, {
      inboundId: params.id,
      items: body.items.map((i) => ({ sku: i.sku, receivedQuantity: i.received_quantity })),
      complete: body.complete,
      receivedAt: body.received_at ? new Date(body.received_at) : undefined,
    }),
  );
  return json(inbound);
});

const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
export { GET, PUT, PATCH, DELETE };
