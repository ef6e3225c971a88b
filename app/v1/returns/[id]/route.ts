import { getDb } from "@/db/client";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { loadReturn } from "@/lib/returns/read";

// GET /v1/returns/{id} – one return with per-item condition and restock flag
export const GET = apiRoute<{ id: string }>({}, async ({ ctx, params }) => json(await loadReturn(getDb(), ctx, params.id)));

const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(["GET"]);
export { POST, PUT, PATCH, DELETE };
