import { ApiError } from "@/lib/api/errors";
import { truncate } from "@/lib/errors";
import { publicRoute } from "@/lib/api/route";

// ANY /v1/* – paths the API does not have: the not_found envelope, never the framework's HTML page
const notFound = publicRoute<{ path: string[] }>(async ({ request }) => {
  throw new ApiError("not_found", `There is no ${request.method} ${truncate(new URL(request.url).pathname, 200)} in this API.`);
});

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE, notFound as HEAD, notFound as OPTIONS };
