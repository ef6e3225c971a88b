import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { accounts } from "@/db/schema";
import { authorizeRequest } from "@/lib/auth/dashboard";
import { CHANNEL_OPS_ROLES } from "@/lib/dashboard/nav";
import { exportSkuMapCsv } from "@/lib/sku-map/csv";

// GET /sku-map/export?account=…&env=… – the account's SKU map as a CSV the import takes back
export async function GET(request: Request): Promise<Response> {
  const auth = await authorizeRequest(CHANNEL_OPS_ROLES);
  if (auth.denied) return auth.denied;
  const url = new URL(request.url);
  const environment = url.searchParams.get("env") === "live" ? "live" : "sandbox";
  const [account] = await getDb()
    .select({ id: accounts.id, name: accounts.name })
    .from(accounts)
    .where(eq(accounts.id, url.searchParams.get("account") ?? ""));
  if (!account) return Response.json({ error: { code: "not_found", message: "Unknown account." } }, { status: 404 });
  const csv = await exportSkuMapCsv(getDb(), { accountId: account.id, environment });
  const name = `sku-map-${account.name.replace(/[^A-Za-z0-9_-]+/g, "-")}-${environment}.csv`;
  return new Response(csv, { headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}"`, "cache-control": "no-store" } });
}
