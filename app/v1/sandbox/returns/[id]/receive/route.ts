import { getDb } from "@/db/client";
import { inTransaction } from "@/db/transaction";
import { parseBody } from "@/lib/api/request";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { receiveReturn } from "@/lib/returns/receive";
import { returnReceiptSchema } from "@/lib/returns/schema";

// POST /v1/sandbox/returns/{id}/receive – simulate a return arriving (with or without inspection) or being inspected
export const POST = apiRoute<{ id: string }>({ sandboxOnly: true }, async ({ request, ctx, params }) => {
  const body = await parseBody(request, returnReceiptSchema);
  const ret = await inTransaction(getDb(), (tx) =>
    receiveReturn(tx, ctx, { returnId: params.id, items: body.items, receivedAt: body.received_at ? new Date(body.received_at) : undefined }),
  );
  return json(ret);
});

const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
export { GET, PUT, PATCH, DELETE };
