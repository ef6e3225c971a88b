import { count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, queryRows, type DatabaseHandle } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { dashboardUsers, operationalExceptions, orderEvents, orders, shipments, warehouses } from "@/db/schema";
import { recomputeFromLedger } from "@/e2e/support/inventory";
import { verifyCredentials } from "@/lib/auth/dashboard-users";
import { DEMO_PASSWORD, DEMO_USERS, seedDemoData } from "@/lib/demo/seed";
import { shipmentJson } from "@/lib/shipments/present";

// The demo seed writes 3PL-wide reference data and fixed account names, so it gets a database of its own
// (in memory) whatever database the rest of the suite runs on.
let handle: DatabaseHandle;

beforeAll(async () => {
  // url "": embedded even when the suite runs on PostgreSQL.
  handle = createDatabase({ url: "", dataDir: "memory://" });
  await migrateDatabase(handle);
});

afterAll(async () => {
  await handle.close();
});

describe("demo seed", () => {
  it("creates orders in every status through the domain functions, once", async () => {
    const first = await seedDemoData(handle.db);
    expect(first.seeded).toBe(true);

    const byStatus = await queryRows<{ status: string; n: number }>(handle.db, sql`select status, count(*)::int as n from orders group by status`);
    const statuses = Object.fromEntries(byStatus.map((r) => [r.status, Number(r.n)]));
    for (const status of ["received", "processing", "partially_shipped", "shipped", "on_hold", "backordered", "cancelled"]) {
      expect(statuses[status], status).toBeGreaterThan(0);
    }
    const [{ value: total }] = await handle.db.select({ value: count() }).from(orders);
    expect(Number(total)).toBeGreaterThanOrEqual(25);

    // Real timelines: a stale carrier report, events in the past, exceptions for held orders.
    const [{ value: stale }] = await handle.db.select({ value: count() }).from(orderEvents).where(eq(orderEvents.stale, true));
    expect(Number(stale)).toBeGreaterThan(0);
    const [{ value: future }] = await handle.db.select({ value: count() }).from(orderEvents).where(sql`${orderEvents.occurredAt} > now()`);
    expect(Number(future)).toBe(0);
    const [{ value: open }] = await handle.db.select({ value: count() }).from(operationalExceptions).where(eq(operationalExceptions.status, "open"));
    expect(Number(open)).toBeGreaterThan(0);

    // Two cities in both environments, and the stock ledger agrees with the stock levels.
    const whs = await handle.db.select().from(warehouses);
    expect(new Set(whs.map((w) => `${w.environment}:${w.code}`))).toEqual(new Set(["live:SYD", "live:MEL", "sandbox:SYD", "sandbox:MEL"]));
    expect(await recomputeFromLedger(handle.db)).toEqual([]);

    // Every shipment's stored document is what its tables render now (the seed back-dates created_at).
    const [{ shipments: shipped, stale: staleDocuments }] = await queryRows<{ shipments: number; stale: number }>(
      handle.db,
      sql`select count(*)::int as shipments, count(*) filter (where document is null or document::text <> ${shipmentJson(shipments)}::text)::int as stale from ${shipments}`,
    );
    expect(shipped).toBeGreaterThan(0);
    expect(staleDocuments).toBe(0);

    const second = await seedDemoData(handle.db);
    expect(second.seeded).toBe(false);
    const [{ value: again }] = await handle.db.select({ value: count() }).from(orders);
    expect(Number(again)).toBe(Number(total));
  });

  it("creates the four demo logins with the documented password", async () => {
    const users = await handle.db.select().from(dashboardUsers);
    expect(users.map((u) => u.email).sort()).toEqual(DEMO_USERS.map((u) => u.email).sort());
    const admin = await verifyCredentials(handle.db, "admin@demo.test", DEMO_PASSWORD);
    expect(admin?.role).toBe("admin");
    expect(await verifyCredentials(handle.db, "admin@demo.test", "wrong-password")).toBeNull();
  });
});
