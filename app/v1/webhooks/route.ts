import { getDb } from "@/db/client";
import { listParams } from "@/lib/api/pagination";
import { parseBody, parseQuery } from "@/lib/api/request";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { z } from "@/lib/api/zod";
import { CreateWebhookBody } from "@/lib/webhooks/schema";
import { createWebhook, listWebhooks } from "@/lib/webhooks/subscriptions";

const listQuery = z.object(listParams);

// GET /v1/webhooks – list the account's webhook subscriptions in this environment
export const GET = apiRoute({}, async ({ request, ctx }) => {
  const q = parseQuery(request, listQuery);
  return json(await listWebhooks(getDb(), ctx, q));
});

// POST /v1/webhooks – subscribe a URL to event types; the signing secret is returned only here
export const POST = apiRoute({}, async ({ request, ctx }) => {
  const body = await parseBody(request, CreateWebhookBody);
  const webhook = await createWebhook(getDb(), ctx, body);
  return json(webhook, 201, { Location: `/v1/webhooks/${webhook.id}` });
});

const { PUT, PATCH, DELETE } = methodsNotAllowed(["GET", "POST"]);
export { PUT, PATCH, DELETE };
