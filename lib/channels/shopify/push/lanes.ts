import type { Db } from "@/db/client";
import type { WorkerLoop } from "@/lib/worker/types";
import type { CostLimiter } from "@/lib/channels/shopify/admin/limiter";
import { PER_SHOP_CLAIM, byConnection, inParallel, openShop, type ClaimScope, type PushScope, type ShopSession } from "./common";

/** A push queue: how its rows are found, claimed (SKIP LOCKED + lease) and pushed to one shop. */
export type PushQueue<T extends { connectionId: string }> = {
  /** Marks new work on every active connection in scope; returns how many rows it marked. */
  discover: (db: Db, scope: PushScope) => Promise<number>;
  /** Claims due rows (at most PER_SHOP_CLAIM per shop), none of the excluded connections'. */
  claim: (db: Db, limit: number, scope: ClaimScope) => Promise<T[]>;
  /** Pushes one row and records its outcome (never throws for a Shopify failure). */
  push: (db: Db, item: T, session: ShopSession | undefined) => Promise<void>;
};

export type RoundOptions = PushScope & {
  /** Rows claimed per round. */
  limit?: number;
  /** Rows of one shop in flight at once. */
  concurrency?: number;
  limiter?: CostLimiter;
};

/** One shop's claimed rows: its Admin session opened once, at most `perShop` calls in flight. */
async function pushShopLane<T extends { connectionId: string }>(db: Db, queue: PushQueue<T>, connectionId: string, items: T[], options: RoundOptions): Promise<void> {
  const session = await openShop(db, connectionId, { limiter: options.limiter });
  await inParallel(items, options.concurrency ?? 4, (item) => queue.push(db, item, session));
}

/** One round waited for whole (tests, commands): discover, claim, and push every claimed shop's lane side by side. */
export async function runPushRound<T extends { connectionId: string }>(db: Db, queue: PushQueue<T>, options: RoundOptions = {}): Promise<number> {
  const scope = { accountId: options.accountId };
  const discovered = await queue.discover(db, scope);
  const claimed = await queue.claim(db, options.limit ?? 50, scope);
  await Promise.all([...byConnection(claimed)].map(([connectionId, items]) => pushShopLane(db, queue, connectionId, items, options)));
  return discovered + claimed.length;
}

/** Shops one worker pushes to at the same time. */
export const MAX_SHOPS_IN_FLIGHT = 32;

/**
 * The worker loop of a push queue. A tick discovers and claims, hands each shop's rows to that shop's lane and
 * returns without waiting for them: a shop waiting on its cost budget (minutes in a flash sale) or a Shopify that
 * answers slowly delays only its own pushes, never the next round of every other shop's. While a shop's lane runs,
 * this worker claims none of its rows (other workers may); when a lane ends the loop is woken to claim that shop's
 * next rows at once.
 */
export function shopLanesLoop<T extends { connectionId: string }>(name: string, queue: PushQueue<T>, options: RoundOptions & { idleMs?: number } = {}): WorkerLoop {
  const lanes = new Map<string, Promise<void>>();
  const scope = { accountId: options.accountId };
  return {
    name,
    idleMs: options.idleMs ?? 1000,
    async tick({ db, wake }) {
      const discovered = await queue.discover(db, scope);
      const free = MAX_SHOPS_IN_FLIGHT - lanes.size;
      if (free <= 0) return 0;
      const claimed = await queue.claim(db, Math.min(options.limit ?? 50, free * PER_SHOP_CLAIM), { ...scope, excludeConnectionIds: [...lanes.keys()] });
      for (const [connectionId, items] of byConnection(claimed)) {
        const lane = pushShopLane(db, queue, connectionId, items, options)
          .catch((error: unknown) => console.error(`${name}: the lane of shop connection ${connectionId} failed`, error))
          .finally(() => {
            lanes.delete(connectionId);
            wake();
          });
        lanes.set(connectionId, lane);
      }
      return discovered + claimed.length;
    },
    async drain() {
      await Promise.all(lanes.values());
    },
  };
}
