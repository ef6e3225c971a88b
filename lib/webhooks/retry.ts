/**
 * When a failed delivery is tried again. Default (spec §8): 10 s, 1 m, 5 m, 30 m, then hourly until 24 h after the
 * first attempt, then the delivery is dead. WEBHOOK_RETRY_SCHEDULE_SECONDS="1,2,4" replaces it with exactly those
 * steps (after the last one: dead), for tests and demos; lib/env.ts parses it.
 */
export type RetryPolicy = {
  /** Delay after the 1st, 2nd, … failed attempt. */
  steps: number[];
  /** Delay after the steps run out; null: dead. */
  thenEverySeconds: number | null;
  /** No attempt is scheduled later than this many seconds after the first; null: no window. */
  windowSeconds: number | null;
};

export const DEFAULT_RETRY_POLICY: RetryPolicy = { steps: [10, 60, 300, 1800], thenEverySeconds: 3600, windowSeconds: 24 * 3600 };

/** Longest a receiver's Retry-After may push an attempt back: it must not park a delivery for days. */
export const MAX_RETRY_AFTER_SECONDS = 3600;

/** The default policy, or exactly these steps (seconds), dead after the last. */
export function retryPolicy(steps: number[] | undefined): RetryPolicy {
  return steps ? { steps, thenEverySeconds: null, windowSeconds: null } : DEFAULT_RETRY_POLICY;
}

/**
 * Seconds until the next attempt after the `failedAttempts`-th failure of the current cycle, or null when the
 * delivery is dead. A receiver's Retry-After (429/503) replaces the scheduled delay but never revives a delivery
 * the schedule has given up on.
 */
export function nextRetryDelay(
  policy: RetryPolicy,
  failedAttempts: number,
  firstAttemptAt: Date,
  now: Date,
  retryAfterSeconds?: number | null,
): number | null {
  const scheduled = failedAttempts <= policy.steps.length ? policy.steps[failedAttempts - 1] : policy.thenEverySeconds;
  if (scheduled === null || scheduled === undefined) return null;
  const delay = retryAfterSeconds == null ? scheduled : Math.min(Math.max(retryAfterSeconds, 1), MAX_RETRY_AFTER_SECONDS);
  if (policy.windowSeconds !== null && now.getTime() + delay * 1000 > firstAttemptAt.getTime() + policy.windowSeconds * 1000) return null;
  return delay;
}

/** Retry-After as seconds from `now`: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}
