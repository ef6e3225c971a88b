import { getDb } from "@/db/client";
import { authorizeRequest } from "@/lib/auth/dashboard";
import { queueQuerySchema } from "@/lib/exceptions/filters";
import { listExceptionQueue, presentQueueRow } from "@/lib/exceptions/queue";
import { TRIAGE_ROLES } from "@/lib/exceptions/roles";

// GET /api/dashboard/exceptions – the triage queue as JSON, same filters as the page (session required)
export async function GET(request: Request): Promise<Response> {
  const { user, denied } = await authorizeRequest(TRIAGE_ROLES);
  if (denied) return denied;
  const parsed = queueQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return Response.json({ error: { code: "invalid_parameter", message: issue.message, field: issue.path.join(".") } }, { status: 400 });
  }
  const queue = await listExceptionQueue(getDb(), user, parsed.data);
  return Response.json({ data: queue.rows.map(presentQueueRow), counts: queue.counts, total: queue.total }, { headers: { "cache-control": "no-store" } });
}
