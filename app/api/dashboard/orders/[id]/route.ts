import { getDb } from "@/db/client";
import { authorizeRequest } from "@/lib/auth/dashboard";
import { ALL_ROLES } from "@/lib/dashboard/nav";
import { getOrderDetail } from "@/lib/dashboard/order-detail";

type Context = { params: Promise<{ id: string }> };

// GET /api/dashboard/orders/{id} – the order page's live data (session required)
export async function GET(_request: Request, context: Context): Promise<Response> {
  const { denied } = await authorizeRequest(ALL_ROLES);
  if (denied) return denied;
  const { id } = await context.params;
  const detail = await getOrderDetail(getDb(), id);
  if (!detail) return Response.json({ error: { code: "not_found", message: "No order with that id." } }, { status: 404 });
  return Response.json(detail, { headers: { "cache-control": "no-store" } });
}
