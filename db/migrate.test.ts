import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, queryRows } from "@/db/client";
import { outboxEvents } from "@/db/schema";
import { readHorizon } from "@/lib/api/pagination";

describe("database", () => {
  it("is migrated and stores jsonb as objects, not strings (PERF-NOTES trap 3)", async () => {
    const db = getDb();
    await db.insert(outboxEvents).values({ id: "evt_test_jsonb", accountId: "acct_x", environment: "sandbox", type: "order.updated", payload: { a: 1 } });
    const [row] = await queryRows<{ kind: string }>(db, sql`select jsonb_typeof(payload) as kind from outbox_events where id = 'evt_test_jsonb'`);
    expect(row.kind).toBe("object");
  });

  it("reads a commit-safe horizon with microseconds", async () => {
    const horizon = await readHorizon(getDb());
    expect(horizon).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });
});
