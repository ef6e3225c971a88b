import { getDb } from "@/db/client";
import { authorizeRequest } from "@/lib/auth/dashboard";
import { CHANNEL_OPS_ROLES } from "@/lib/dashboard/nav";
import { resolveScope } from "@/lib/sku-map/scope";
import { exportSkuMapCsv } from "@/lib/sku-map/csv";

// GET /sku-map/export?account=…&env=… – the account's SKU map as a CSV the import takes back
export async function GET(request: Request): Promise<Response> {
  const auth = await authorizeRequest(CHANNEL_OPS_ROLES);
  if (auth.denied) return auth.denied;
  const url = new URL(request.url);
  const scope = await resolveScope(getDb(), url.searchParams.get("account") ?? "", url.searchParams.get("env"));
  if (!scope) return Response.json({ error: { code: "not_found", message: "Unknown account." } }, { status: 404 });
  const csv = await exportSkuMapCsv(getDb(), scope);
  const name = `sku-map-${scope.accountName.replace(/[^A-Za-z0-9_-]+/g, "-")}-${scope.environment}.csv`;
  return new Response(csv, { headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}"`, "cache-control": "no-store" } });
}
