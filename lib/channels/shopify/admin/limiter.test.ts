import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { shopifyApiBuckets } from "@/db/schema";
import { unique } from "@/e2e/support/factories";
import { ShopifyCostLimiter, limiterPlan } from "./limiter";

/*
 * The limiter's database store, on whichever database the suite runs (PGlite or PostgreSQL): the two drivers bind
 * parameters differently, and a bucket reading that PGlite accepted once failed on every call on PostgreSQL.
 */

const shopName = () => `${unique("limit").toLowerCase()}.myshopify.com`;

async function bucketRow(shop: string) {
  const [row] = await getDb().select().from(shopifyApiBuckets).where(eq(shopifyApiBuckets.shopDomain, shop));
  return row;
}

describe("cost limiter on the database", () => {
  it("keeps the bucket Shopify reports, and a reading never overwrites a newer one", async () => {
    const db = getDb();
    const shop = shopName();
    const limiter = new ShopifyCostLimiter({ db, store: { kind: "postgres", db } });

    await limiter.observe(shop, { maximumAvailable: 2000, currentlyAvailable: 400, restoreRate: 100 });
    expect(await bucketRow(shop)).toMatchObject({ maximumAvailable: 2000, currentlyAvailable: 400, restoreRate: 100 });

    await limiter.observe(shop, { maximumAvailable: 2000, currentlyAvailable: 1500, restoreRate: 100 });
    expect(await bucketRow(shop)).toMatchObject({ currentlyAvailable: 1500 });

    // A response that finished late carries an older reading than the one stored: it must not win.
    await db.update(shopifyApiBuckets).set({ observedAt: sql`now() + interval '1 hour'` }).where(eq(shopifyApiBuckets.shopDomain, shop));
    await limiter.observe(shop, { maximumAvailable: 2000, currentlyAvailable: 10, restoreRate: 100 });
    expect(await bucketRow(shop)).toMatchObject({ currentlyAvailable: 1500 });
  });

  it("ignores a reading that cannot be a bucket", async () => {
    const db = getDb();
    const shop = shopName();
    await new ShopifyCostLimiter({ db, store: { kind: "postgres", db } }).observe(shop, { maximumAvailable: 0, currentlyAvailable: 0, restoreRate: 0 });
    expect(await bucketRow(shop)).toBeUndefined();
  });

  it("two limiters (two worker processes) spend one shared budget per window", async () => {
    const db = getDb();
    const shop = shopName();
    const a = new ShopifyCostLimiter({ db, store: { kind: "postgres", db } });
    const b = new ShopifyCostLimiter({ db, store: { kind: "postgres", db } });
    const { mainPoints } = limiterPlan(null);

    const started = Date.now();
    await a.reserve(shop, { expected: mainPoints, requested: mainPoints });
    expect(Date.now() - started).toBeLessThan(500);
    // a spent the whole one-second window: b waits for the next one instead of spending it again.
    const waitFrom = Date.now();
    await b.reserve(shop, { expected: 1, requested: 1 });
    expect(Date.now() - waitFrom).toBeGreaterThan(300);
  });
});
