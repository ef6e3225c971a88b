import { getDb } from "@/db/client";
import { parseBody } from "@/lib/api/request";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { addOrderNote } from "@/lib/orders/list";
import { orderNoteSchema } from "@/lib/orders/schema";

// POST /v1/orders/{id}/notes – add a note to the order's timeline, attributed to the account
export const POST = apiRoute<{ id: string }>({}, async ({ request, ctx, params }) => {
  const { message } = await parseBody(request, orderNoteSchema);
  return json(await addOrderNote(getDb(), ctx, params.id, message), 201);
});

const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
export { GET, PUT, PATCH, DELETE };
