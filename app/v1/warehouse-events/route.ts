import { getDb } from "@/db/client";
import { readJsonBody } from "@/lib/api/request";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { processWarehouseEvent } from "@/lib/warehouse-events/process";

// POST /v1/warehouse-events – the WMS or a carrier reports what physically happened (warehouse keys only)
export const POST = apiRoute({ role: "warehouse" }, async ({ request, ctx }) => {
  const result = await processWarehouseEvent(getDb(), ctx, await readJsonBody(request));
  if (result.duplicate) return json({ duplicate: true });
  const { state, reason, message } = result;
  // 202: recorded but not applied, someone must act (failed: fix and replay; flagged: an event on a cancelled order).
  const status = state === "failed" || state === "flagged" ? 202 : 200;
  return json({ accepted: true, state, ...(reason ? { reason } : {}), ...(message ? { message } : {}) }, status);
});

const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
export { GET, PUT, PATCH, DELETE };
