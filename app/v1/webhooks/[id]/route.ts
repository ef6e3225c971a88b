import { getDb } from "@/db/client";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { deleteWebhook, getWebhook } from "@/lib/webhooks/subscriptions";

// GET /v1/webhooks/{id} – one subscription (without its secret)
export const GET = apiRoute<{ id: string }>({}, async ({ ctx, params }) => json(await getWebhook(getDb(), ctx, params.id)));

// DELETE /v1/webhooks/{id} – unsubscribe; deliveries still owed are cancelled
export const DELETE = apiRoute<{ id: string }>({}, async ({ ctx, params }) => {
  await deleteWebhook(getDb(), ctx, params.id);
  return new Response(null, { status: 204 });
});

const { POST, PUT, PATCH } = methodsNotAllowed(["GET", "DELETE"]);
export { POST, PUT, PATCH };
