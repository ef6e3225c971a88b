import { desc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { metricSamples } from "@/db/schema";
import { METRIC } from "@/lib/metrics/record";
import { sampleGauges } from "@/lib/metrics/gauges";
import { needsPostgres, onPostgres } from "@/e2e/support/vitest-env";
import { authenticateKey } from "@/lib/auth/api-keys";
import { createTenant } from "@/e2e/support/factories";
import { holdTransactionOpen } from "@/e2e/support/horizon";
import { feedHoldBack, readHorizon } from "./pagination";

describe("partner feeds' hold-back", () => {
  it("is sampled with the health page's gauges", async () => {
    await sampleGauges(getDb());
    const [latest] = await getDb().select().from(metricSamples).where(eq(metricSamples.name, METRIC.feedHoldBack)).orderBy(desc(metricSamples.recordedAt)).limit(1);
    expect(latest).toBeDefined();
    expect(latest.value).toBeGreaterThanOrEqual(0);
  });
});

describe.skipIf(!onPostgres)(`partner feeds' hold-back under an open transaction (${needsPostgres})`, () => {
  it("measures how long the oldest open transaction has held the feeds, and names an open session", async () => {
    const db = getDb();
    const open = await holdTransactionOpen<{ pid: number }>(sql`select pg_backend_pid() as pid`);
    const pid = Number(open.row.pid);
    await new Promise((r) => setTimeout(r, 1_100));
    const held = await feedHoldBack(db);
    await open.close();
    // Another test file's transaction may be older than ours: then it is the one named, and it has held even longer.
    expect(held.seconds).toBeGreaterThanOrEqual(1);
    expect(held.holder).not.toBeNull();
    if (held.holder!.pid === pid) expect(held.holder!.state).toBe("idle in transaction");
  });

  it("the horizon read with a key's authentication holds at an open transaction's start, as one read on its own does", async () => {
    const t = await createTenant();
    const db = getDb();
    const open = await holdTransactionOpen<{ start: string }>(sql`select to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as start`);
    const { start } = open.row;
    try {
      const withHorizon = await authenticateKey(db, t.key, 600, { withHorizon: true });
      const alone = await readHorizon(db);
      const without = await authenticateKey(db, t.key, 600);
      // Another test file's older transaction may hold it further back; never later than ours.
      expect(withHorizon!.horizon! <= start).toBe(true);
      expect(alone <= start).toBe(true);
      expect(without!.horizon).toBeUndefined();
    } finally {
      await open.close();
    }
  });
});
