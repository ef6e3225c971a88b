import { z } from "zod";
import { getDb } from "@/db/client";
import { authorizeRequest } from "@/lib/auth/dashboard";
import { ALL_ROLES } from "@/lib/dashboard/nav";
import { searchOrders } from "@/lib/dashboard/search";

const query = z.object({
  q: z.string().max(200).optional(),
  account: z.string().max(100).optional(),
  env: z.enum(["live", "sandbox"]).optional(),
  status: z.enum(["received", "processing", "partially_shipped", "shipped", "on_hold", "backordered", "cancelled"]).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

// GET /api/dashboard/orders – the support search as JSON (session required)
export async function GET(request: Request): Promise<Response> {
  const { denied } = await authorizeRequest(ALL_ROLES);
  if (denied) return denied;
  const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return Response.json({ error: { code: "invalid_parameter", message: issue.message, field: issue.path.join(".") } }, { status: 400 });
  }
  const { q, account, env, status, limit } = parsed.data;
  const result = await searchOrders(getDb(), { q, accountId: account, environment: env, status, limit });
  return Response.json(
    {
      matched_by: result.matchedBy,
      data: result.rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() })),
    },
    { headers: { "cache-control": "no-store" } },
  );
}
