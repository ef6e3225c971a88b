import { eq, lte, sql } from "drizzle-orm";
import { Redis } from "ioredis";
import { BurstyRateLimiter, RateLimiterDrizzle, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { getDb, type Db } from "@/db/client";
import { shopifyApiBuckets, shopifyRateLimits } from "@/db/schema";
import { env } from "@/lib/env";
import { AdminApiError } from "./errors";

/** extensions.cost.throttleStatus of a GraphQL Admin response. */
export type ThrottleStatus = { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };

export interface CostLimiter {
  /** Waits until `cost` points may be spent on the shop, then takes them. `requested` must also be in the bucket. */
  reserve(shopDomain: string, cost: { expected: number; requested: number }): Promise<void>;
  /** What Shopify reported after a call: learn the bucket's size, rate and current level. */
  observe(shopDomain: string, status: ThrottleStatus): Promise<void>;
  /** Shopify throttled us anyway (another client, a restart): nobody calls the shop for `seconds`. */
  backoff(shopDomain: string, seconds: number): Promise<void>;
}

/** Shopify's standard bucket until the shop tells us its own (every plan is at least this generous). */
export const DEFAULT_BUCKET = { maximumAvailable: 1000, restoreRate: 50 } as const;

type Bucket = { maximumAvailable: number; restoreRate: number; currentlyAvailable: number; observedAt: number };
type Limiters = { main: RateLimiterAbstract; burst: RateLimiterAbstract | null; consumer: { consume: (key: string, points: number) => Promise<RateLimiterRes> }; maxPoints: number };

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The window sizes that keep spending inside a leaky bucket of `maximumAvailable` refilled at `restoreRate`/s.
 * A fixed-window limiter can spend a window's points at the end of one window and again at the start of the next, so
 * the worst instant spend is 2 × (main + burst); both are sized so that stays under 90% of the bucket, and the
 * sustained spend stays under the restore rate plus what the bucket holds. Until the shop's bucket is known only the
 * main window runs (no burst), which is safe for any bucket at least twice the restore rate.
 */
export function limiterPlan(bucket: { maximumAvailable: number; restoreRate: number } | null) {
  const restore = bucket?.restoreRate ?? DEFAULT_BUCKET.restoreRate;
  const mainPoints = Math.max(1, Math.floor(restore * 0.9));
  if (!bucket) return { mainPoints, burstPoints: 0, burstSeconds: 0 };
  const burstPoints = Math.floor(0.45 * bucket.maximumAvailable - restore);
  if (burstPoints < restore / 2) return { mainPoints, burstPoints: 0, burstSeconds: 0 };
  return { mainPoints, burstPoints, burstSeconds: Math.max(1, Math.ceil(bucket.maximumAvailable / restore)) };
}

type Store = { kind: "redis"; client: Redis } | { kind: "postgres"; db: Db };

const globalForRedis = globalThis as unknown as { __hubShopifyLimiterRedis?: Redis };

function defaultStore(): Store {
  const url = env().REDIS_URL;
  if (url) {
    globalForRedis.__hubShopifyLimiterRedis ??= new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false });
    return { kind: "redis", client: globalForRedis.__hubShopifyLimiterRedis };
  }
  return { kind: "postgres", db: getDb() };
}

/**
 * Per-shop cost limiter shared by every worker process. The counting is rate-limiter-flexible's (Redis when
 * REDIS_URL is set, else its Drizzle store on our PostgreSQL/PGlite): points are query cost, consumed atomically in
 * the shared store, so two processes never both spend the same budget. The bucket Shopify reports after each call
 * (throttleStatus) is kept in shopify_api_buckets: it sizes the windows and gates each call on the bucket's level.
 */
export class ShopifyCostLimiter implements CostLimiter {
  private readonly store: Store;
  private readonly db: Db;
  private readonly limiters = new Map<string, Limiters>();
  private readonly buckets = new Map<string, { bucket: Bucket | null; readAt: number }>();

  constructor(options: { store?: Store; db?: Db; bucketCacheMs?: number } = {}) {
    this.store = options.store ?? defaultStore();
    this.db = options.db ?? getDb();
    this.bucketCacheMs = options.bucketCacheMs ?? 500;
  }

  private readonly bucketCacheMs: number;

  private async bucket(shop: string): Promise<Bucket | null> {
    const cached = this.buckets.get(shop);
    if (cached && Date.now() - cached.readAt < this.bucketCacheMs) return cached.bucket;
    const [row] = await this.db.select().from(shopifyApiBuckets).where(eq(shopifyApiBuckets.shopDomain, shop));
    const bucket = row
      ? { maximumAvailable: row.maximumAvailable, restoreRate: row.restoreRate, currentlyAvailable: row.currentlyAvailable, observedAt: row.observedAt.getTime() }
      : null;
    this.buckets.set(shop, { bucket, readAt: Date.now() });
    return bucket;
  }

  private limitersFor(shop: string, bucket: Bucket | null): Limiters {
    const plan = limiterPlan(bucket);
    const id = `${shop}|${plan.mainPoints}|${plan.burstPoints}|${plan.burstSeconds}`;
    let limiters = this.limiters.get(id);
    if (limiters) return limiters;
    const make = (prefix: string, points: number, duration: number): RateLimiterAbstract => {
      const keyPrefix = `shopify-cost:${prefix}:${plan.mainPoints}:${plan.burstPoints}`;
      if (this.store.kind === "redis") return new RateLimiterRedis({ storeClient: this.store.client, keyPrefix, points, duration });
      return new RateLimiterDrizzle({ storeClient: this.store.db, schema: shopifyRateLimits, keyPrefix, points, duration });
    };
    const main = make("main", plan.mainPoints, 1);
    const burst = plan.burstPoints > 0 ? make("burst", plan.burstPoints, plan.burstSeconds) : null;
    const consumer = burst ? new BurstyRateLimiter(main, burst) : main;
    limiters = { main, burst, consumer, maxPoints: Math.max(plan.mainPoints, plan.burstPoints) };
    this.limiters.set(id, limiters);
    return limiters;
  }

  async reserve(shop: string, cost: { expected: number; requested: number }): Promise<void> {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const bucket = await this.bucket(shop);
      // Shopify runs a call only if the bucket holds its requested cost: wait for the refill when it does not.
      if (bucket) {
        const level = Math.min(bucket.maximumAvailable, bucket.currentlyAvailable + ((Date.now() - bucket.observedAt) / 1000) * bucket.restoreRate);
        const need = Math.min(cost.requested, bucket.maximumAvailable);
        if (level < need) {
          await sleep(Math.min(5_000, Math.ceil(((need - level) / bucket.restoreRate) * 1000) + 5));
          this.buckets.delete(shop);
          continue;
        }
      }
      const limiters = this.limitersFor(shop, bucket);
      const points = Math.max(1, Math.min(Math.ceil(cost.expected), limiters.maxPoints));
      try {
        await limiters.consumer.consume(shop, points);
        return;
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) {
          throw new AdminApiError("transient", "LIMITER_UNAVAILABLE", `the cost limiter's store failed: ${String(rejection)}`);
        }
        if (Date.now() > deadline) throw new AdminApiError("transient", "LIMITER_TIMEOUT", `waited too long for ${shop}'s API budget`);
        // Jitter spreads the waiters of one window so they do not all hit the store in the same millisecond.
        await sleep(Math.max(5, rejection.msBeforeNext) + Math.floor(Math.random() * 25));
      }
    }
  }

  async observe(shop: string, status: ThrottleStatus): Promise<void> {
    if (!(status.maximumAvailable > 0 && status.restoreRate > 0 && status.currentlyAvailable >= 0)) return;
    const now = new Date();
    await this.db
      .insert(shopifyApiBuckets)
      .values({ shopDomain: shop, ...status, observedAt: now })
      .onConflictDoUpdate({
        target: shopifyApiBuckets.shopDomain,
        set: { ...status, observedAt: now, updatedAt: sql`now()` },
        // Responses finish out of order: an older reading must not overwrite a newer one. Bound through the column
        // (lte), not as a bare Date in sql``: postgres.js cannot serialize a raw Date parameter, PGlite can.
        setWhere: lte(shopifyApiBuckets.observedAt, now),
      });
    this.buckets.set(shop, { bucket: { ...status, observedAt: now.getTime() }, readAt: Date.now() });
  }

  async backoff(shop: string, seconds: number): Promise<void> {
    const wait = Math.min(60, Math.max(1, Math.ceil(seconds)));
    const limiters = this.limitersFor(shop, await this.bucket(shop));
    await Promise.all([limiters.main.block(shop, wait), limiters.burst?.block(shop, wait)]);
  }
}

let shared: ShopifyCostLimiter | undefined;

/** The process-wide limiter (its store is chosen once: Redis when REDIS_URL is set, else the database). */
export function sharedCostLimiter(): ShopifyCostLimiter {
  shared ??= new ShopifyCostLimiter();
  return shared;
}
