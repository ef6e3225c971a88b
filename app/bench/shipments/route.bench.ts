import { benchAccounts, benchSql, notFound } from "../database.bench";

type PageRow = { id: string; document: string; cursor_ts: string };

// GET /bench/shipments?ts=…&id=…&limit=100 – one keyset page of shipments through postgres.js, their stored
// documents joined into the API's page by hand: the ceiling of GET /v1/shipments
export async function GET(request: Request) {
  const sql = benchSql();
  if (!sql) return notFound();
  const params = new URL(request.url).searchParams;
  const limit = Math.min(200, Number(params.get("limit") || 100));
  const ts = params.get("ts") || "1970-01-01T00:00:00Z";
  const id = params.get("id") || "";
  const { shipments: accountId, environment } = benchAccounts;
  const rows = await sql<PageRow[]>`
    select id, document::text as document, to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_ts
      from shipments
     where account_id = ${accountId} and environment = ${environment} and (updated_at, id) > (${ts}::timestamptz, ${id})
     order by updated_at, id
     limit ${limit + 1}`;
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const pagination = { next_cursor: rows.length > limit && last ? `${last.cursor_ts}|${last.id}` : null, has_more: rows.length > limit };
  return new Response(`{"data":[${page.map((r) => r.document).join(",")}],"pagination":${JSON.stringify(pagination)}}`, {
    headers: { "content-type": "application/json" },
  });
}
