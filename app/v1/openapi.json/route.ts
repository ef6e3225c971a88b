import { openApiJson } from "@/lib/api/openapi";
import { methodsNotAllowed, publicRoute } from "@/lib/api/route";

// GET /v1/openapi.json – the OpenAPI 3.1 document of this API (no auth)
export const GET = publicRoute(async () => new Response(openApiJson(), { headers: { "content-type": "application/json; charset=utf-8" } }));

const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(["GET"]);
export { POST, PUT, PATCH, DELETE };
