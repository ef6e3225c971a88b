import { getDb } from "@/db/client";
import { authorizeRequest } from "@/lib/auth/dashboard";
import { ALL_ROLES } from "@/lib/dashboard/nav";
import { loadOverview } from "@/lib/overview/overview";

// GET /api/dashboard/overview – the home overview's tiles for the signed-in user's role, polled by the page (session required)
export async function GET(): Promise<Response> {
  const { user, denied } = await authorizeRequest(ALL_ROLES);
  if (denied) return denied;
  const overview = await loadOverview(getDb(), user.role);
  return Response.json(overview, { headers: { "cache-control": "no-store" } });
}
