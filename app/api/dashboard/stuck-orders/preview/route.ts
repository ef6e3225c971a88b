import { getDb } from "@/db/client";
import { authorizeRequest } from "@/lib/auth/dashboard";
import { STUCK_THRESHOLD_READ_ROLES } from "@/lib/dashboard/nav";
import { DomainError } from "@/lib/errors";
import { previewQuerySchema } from "@/lib/stuck-orders/form-schema";
import { describeLevel, previewLevel } from "@/lib/stuck-orders/settings";

// GET /api/dashboard/stuck-orders/preview – how many orders are stuck now with the thresholds in the query (session required)
export async function GET(request: Request): Promise<Response> {
  const { denied } = await authorizeRequest(STUCK_THRESHOLD_READ_ROLES);
  if (denied) return denied;
  const parsed = previewQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return Response.json({ error: { code: "invalid_parameter", message: issue.message, field: issue.path.join(".") } }, { status: 400 });
  }
  const db = getDb();
  try {
    await describeLevel(db, parsed.data.level);
  } catch (error) {
    if (error instanceof DomainError) return Response.json({ error: { code: error.code, message: error.message, field: "level" } }, { status: 400 });
    throw error;
  }
  const preview = await previewLevel(db, parsed.data);
  return Response.json(preview, { headers: { "cache-control": "no-store" } });
}
