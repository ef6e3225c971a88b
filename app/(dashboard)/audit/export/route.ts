import { getDb } from "@/db/client";
import { AUDIT_CSV_COLUMNS, auditCsvLine } from "@/lib/audit/present";
import { allAudit, parseAuditQuery } from "@/lib/audit/query";
import { authorizeRequest } from "@/lib/auth/dashboard";
import { AUDIT_ROLES } from "@/lib/dashboard/nav";
import { displayTimeZone } from "@/lib/dashboard/time-zone";

// GET /audit/export?actor=…&entity=…&action=…&from=…&to=… – the filtered audit log as CSV, streamed a page at a time
export async function GET(request: Request): Promise<Response> {
  const auth = await authorizeRequest(AUDIT_ROLES);
  if (auth.denied) return auth.denied;
  const { filter, errors } = parseAuditQuery(new URL(request.url).searchParams);
  const invalid = Object.entries(errors).find(([key]) => key !== "after");
  if (invalid) return Response.json({ error: { code: "invalid_parameter", message: invalid[1], field: invalid[0] } }, { status: 400 });
  const encoder = new TextEncoder();
  const batches = allAudit(getDb(), filter, displayTimeZone());
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`${AUDIT_CSV_COLUMNS.join(",")}\r\n`));
    },
    // One batch per pull: a slow download reads no further ahead than it takes.
    async pull(controller) {
      const next = await batches.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value.map(auditCsvLine).join("")));
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
  return new Response(stream, {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": 'attachment; filename="audit-log.csv"', "cache-control": "no-store" },
  });
}
