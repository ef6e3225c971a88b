import { benchSql, notFound } from "../database.bench";

// GET /bench/ping – the framework's own ceiling: a route handler that answers JSON without touching the database
export async function GET() {
  if (!benchSql()) return notFound();
  return Response.json({ ok: true });
}
