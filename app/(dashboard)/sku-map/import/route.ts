import { getDb } from "@/db/client";
import { ApiError } from "@/lib/api/errors";
import { decodeUtf8, drainUnreadBody, readBodyBytes } from "@/lib/api/request";
import { dashboardActor } from "@/lib/audit/record";
import { authorizeRequest } from "@/lib/auth/dashboard";
import { rerunHeldOrders } from "@/lib/channels/shopify/sku-map";
import type { DomainContext } from "@/lib/context";
import { isCrossSiteWrite } from "@/lib/dashboard/browser-security";
import { CHANNEL_OPS_ROLES } from "@/lib/dashboard/nav";
import { resolveScope } from "@/lib/sku-map/scope";
import { importSkuMapCsv, MAX_IMPORT_BYTES } from "@/lib/sku-map/csv";

/** One JSON object per line: progress while the file is checked and applied, then the result. */
export type ImportStreamLine =
  | { type: "progress"; phase: "validating" | "applying"; done: number; total: number }
  | { type: "result"; ok: true; total: number; created: number; updated: number; released: number }
  | { type: "result"; ok: false; total: number; errors: { line: number; field?: string; message: string }[] };

/**
 * The file as text, or the answer refusing it before a row is looked at: too large (a chunked upload is cut off
 * at the limit, never read whole) or not UTF-8 (rows would hold U+FFFD where the file had other characters).
 */
async function readCsv(request: Request): Promise<string | Response> {
  try {
    return decodeUtf8(await readBodyBytes(request, MAX_IMPORT_BYTES));
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return error.code === "payload_too_large"
      ? Response.json({ error: { code: error.code, message: `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB; split it.` } }, { status: 413 })
      : Response.json({ error: { code: "invalid_encoding", message: "The file is not UTF-8 text; save it as CSV UTF-8 and import it again." } }, { status: 400 });
  }
}

// POST /sku-map/import?account=…&env=… – import a SKU map CSV (the body), streaming progress as NDJSON
export async function POST(request: Request): Promise<Response> {
  const response = await importCsv(request);
  // As in the API: an answer given before the file was read (signed out, unknown account, too large) must not
  // leave it on the keep-alive socket.
  if (!(await drainUnreadBody(request))) response.headers.set("Connection", "close");
  return response;
}

async function importCsv(request: Request): Promise<Response> {
  // Not behind the dashboard proxy (it would buffer the upload whole), so the proxy's cross-site check is made here.
  if (isCrossSiteWrite(request.method, request.headers)) {
    return Response.json({ error: { code: "forbidden", message: "Cross-site request refused: it was not sent from this site's pages." } }, { status: 403 });
  }
  const auth = await authorizeRequest(CHANNEL_OPS_ROLES);
  if (auth.denied) return auth.denied;
  const url = new URL(request.url);
  const scope = await resolveScope(getDb(), url.searchParams.get("account") ?? "", url.searchParams.get("env"));
  if (!scope) return Response.json({ error: { code: "not_found", message: "Unknown account." } }, { status: 404 });
  const text = await readCsv(request);
  if (text instanceof Response) return text;
  const ctx: DomainContext = { accountId: scope.accountId, environment: scope.environment, source: "dashboard", actor: auth.user.email };

  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (line: ImportStreamLine) => controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
      try {
        const result = await importSkuMapCsv(getDb(), ctx, dashboardActor(auth.user), text, { onProgress: (p) => send({ type: "progress", ...p }) });
        if (!result.ok) send({ type: "result", ok: false, total: result.total, errors: result.errors.slice(0, 1000) });
        else {
          const released = await rerunHeldOrders(getDb(), ctx);
          send({ type: "result", ok: true, total: result.total, created: result.created, updated: result.updated, released: released.length });
        }
      } catch (error) {
        console.error("SKU map import failed", error);
        send({ type: "result", ok: false, total: 0, errors: [{ line: 1, message: "Something went wrong on our side; nothing was imported." }] });
      }
      controller.close();
    },
  });
  return new Response(stream, { headers: { "content-type": "application/x-ndjson; charset=utf-8", "cache-control": "no-store" } });
}
