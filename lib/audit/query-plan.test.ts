import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { database, getDb } from "@/db/client";
import { onPostgres } from "@/e2e/support/vitest-env";
import { auditPageQuery, type AuditCursor, type AuditFilter } from "./query";

/** Enough rows that reading them all costs PostgreSQL far more than walking an index for one page. */
const ROWS = 30_000;

type PlanNode = { "Node Type": string; "Relation Name"?: string; "Index Name"?: string; Plans?: PlanNode[] };

const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

async function planOf(filter: AuditFilter, cursor?: AuditCursor): Promise<PlanNode[]> {
  const handle = database();
  if (handle.mode !== "postgres") throw new Error("plans are read on PostgreSQL");
  const statement = auditPageQuery(getDb(), filter, { cursor, timeZone: "Australia/Sydney" }).toSQL();
  const [row] = await handle.sql.unsafe(`explain (format json) ${statement.sql}`, statement.params as never[]);
  const [explained] = row["QUERY PLAN"] as { Plan: PlanNode }[];
  return nodesOf(explained.Plan);
}

describe.skipIf(!onPostgres)("the audit log's pages read an index in order, whatever the filters", () => {
  beforeAll(async () => {
    await getDb().execute(sql`
      insert into audit_log (id, occurred_at, actor, source, entity_type, entity_id, action)
      select 'aud_plan_' || lpad(g::text, 6, '0'), now() - g * interval '1 minute', 'plan-' || (g % 40) || '@hub.test', 'dashboard',
             (array['routing_rule', 'sku_mapping', 'shop', 'webhook_endpoint', 'dashboard_user'])[1 + g % 5], 'ent_' || (g % 500),
             (array['created', 'updated', 'deleted'])[1 + g % 3]
      from generate_series(1, ${ROWS}) g`);
    await getDb().execute(sql`analyze audit_log`);
  });

  const cursor: AuditCursor = { ts: new Date(Date.now() - 3 * 86_400_000).toISOString().replace("Z", "000Z"), id: "aud_plan_004000" };
  // One entity's history is a few rows: PostgreSQL may fetch them all from its index and sort them, which costs what
  // that history holds, never what the log holds.
  const cases: [string, AuditFilter, string, { sorts: boolean }][] = [
    ["everything", {}, "audit_log_occurred_at_id_idx", { sorts: false }],
    ["one actor", { actor: "plan-7@hub.test" }, "audit_log_actor_occurred_at_idx", { sorts: false }],
    ["one kind of entity and an action", { entityType: "shop", action: "updated" }, "audit_log_entity_type_occurred_at_idx", { sorts: false }],
    ["one entity", { entityType: "sku_mapping", entityId: "ent_1" }, "audit_log_entity_idx", { sorts: true }],
  ];
  for (const [name, filter, index, { sorts }] of cases) {
    it(`${name}: no scan of the table, on ${index}${sorts ? "" : " in its order (no sort)"}`, async () => {
      for (const page of [undefined, cursor]) {
        const nodes = await planOf(filter, page);
        if (!sorts) expect(nodes.map((n) => n["Node Type"])).not.toContain("Sort");
        expect(nodes.filter((n) => n["Node Type"] === "Seq Scan")).toEqual([]);
        expect(nodes.map((n) => n["Index Name"]).filter(Boolean)).toContain(index);
      }
    });
  }
});
