import { getDb } from "@/db/client";
import { parseBody, parseQuery } from "@/lib/api/request";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { createReturn } from "@/lib/returns/create";
import { listReturns } from "@/lib/returns/read";
import { createReturnSchema, returnListQuery } from "@/lib/returns/schema";

// POST /v1/returns – authorize a customer return (RMA); idempotent on rma
export const POST = apiRoute({}, async ({ request, ctx }) => {
  const body = await parseBody(request, createReturnSchema);
  const { created, ret } = await createReturn(getDb(), ctx, body);
  return json(ret, created ? 201 : 200, { Location: `/v1/returns/${ret.id}`, ...(created ? {} : { "Idempotent-Replayed": "true" }) });
});

// GET /v1/returns – list returns changed since a point (commit-safe cursor)
export const GET = apiRoute({ feed: true }, async ({ request, ctx }) => {
  return json(await listReturns(getDb(), ctx, parseQuery(request, returnListQuery)));
});

const { PUT, PATCH, DELETE } = methodsNotAllowed(["GET", "POST"]);
export { PUT, PATCH, DELETE };
