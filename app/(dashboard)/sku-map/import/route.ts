import { getDb } from "@/db/client";
import { authorizeRequest } from "@/lib/auth/dashboard";
import { rerunHeldOrders } from "@/lib/channels/shopify/sku-map";
import type { DomainContext } from "@/lib/context";
import { CHANNEL_OPS_ROLES } from "@/lib/dashboard/nav";
import { resolveScope } from "@/lib/sku-map/scope";
import { importSkuMapCsv, MAX_IMPORT_BYTES } from "@/lib/sku-map/csv";

/** One JSON object per line: progress while the file is checked and applied, then the result. */
export type ImportStreamLine =
  | { type: "progress"; phase: "validating" | "applying"; done: number; total: number }
  | { type: "result"; ok: true; total: number; created: number; updated: number; released: number }
  | { type: "result"; ok: false; total: number; errors: { line: number; field?: string; message: string }[] };

// POST /sku-map/import?account=…&env=… – import a SKU map CSV (the body), streaming progress as NDJSON
export async function POST(request: Request): Promise<Response> {
  const auth = await authorizeRequest(CHANNEL_OPS_ROLES);
  if (auth.denied) return auth.denied;
  const url = new URL(request.url);
  const scope = await resolveScope(getDb(), url.searchParams.get("account") ?? "", url.searchParams.get("env"));
  if (!scope) return Response.json({ error: { code: "not_found", message: "Unknown account." } }, { status: 404 });
  if (Number(request.headers.get("content-length") ?? "0") > MAX_IMPORT_BYTES) {
    return Response.json({ error: { code: "payload_too_large", message: "The file is larger than 10 MiB; split it." } }, { status: 413 });
  }
  const text = await request.text();
  const ctx: DomainContext = { accountId: scope.accountId, environment: scope.environment, source: "dashboard", actor: auth.user.email };

  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (line: ImportStreamLine) => controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
      try {
        const result = await importSkuMapCsv(getDb(), ctx, text, { onProgress: (p) => send({ type: "progress", ...p }) });
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
