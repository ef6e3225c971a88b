import type { DbOrTx } from "@/db/client";
import type { Tenant } from "@/lib/context";
import { METRIC, recordMetric } from "@/lib/metrics/record";
import { AdminApiError, asAdminError } from "./errors";
import { sharedCostLimiter, type CostLimiter, type ThrottleStatus } from "./limiter";

/**
 * One GraphQL document we send. `requestedCost` is our estimate of Shopify's requestedQueryCost before the first
 * response teaches us the real figures (kept per operation and shop).
 */
export type AdminOperation<TData, TVariables> = {
  name: string;
  query: string;
  requestedCost: number;
  /**
   * Whether sending it again after an answer that never arrived (5xx, timeout, broken connection) is harmless.
   * Queries are; so are mutations that set a state or carry @idempotent. One that is not (fulfillmentCreate: a
   * second call fulfils twice, or is refused for quantity) is retried here only when Shopify proves it did not
   * run it (throttled, 429); otherwise the caller's next attempt first looks for what the lost call created.
   */
  repeatable: boolean;
  /** Phantom fields carry the types; never set. */
  readonly __data?: TData;
  readonly __variables?: TVariables;
};

export function defineOperation<TData, TVariables>(
  name: string,
  query: string,
  requestedCost: number,
  options: { repeatable?: boolean } = {},
): AdminOperation<TData, TVariables> {
  return { name, query, requestedCost, repeatable: options.repeatable ?? true };
}

/** Failures Shopify answers before running the call: retrying them never repeats its effect. */
const notRun = (error: AdminApiError) => error.code === "THROTTLED" || error.code === "HTTP_429";

type GraphQLError = { message: string; extensions?: { code?: string } };
type CostExtension = { requestedQueryCost?: number; actualQueryCost?: number | null; throttleStatus?: ThrottleStatus };
type GraphQLResponse<T> = { data?: T | null; errors?: GraphQLError[]; extensions?: { cost?: CostExtension } };

export type AdminClientOptions = {
  shopDomain: string;
  adminUrl: string;
  accessToken: string;
  limiter?: CostLimiter;
  /** Where Admin API errors are recorded as metrics (and for which tenant). */
  metrics?: Tenant & { db: DbOrTx };
  timeoutMs?: number;
  /** Attempts of one call for transient failures (throttling, 5xx, timeouts) before giving up to the caller's retry. */
  maxAttempts?: number;
};

const costMemory = new Map<string, { requested: number; actual: number }>();

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function retryAfterSeconds(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - Date.now()) / 1000);
}

/**
 * The GraphQL Admin API over fetch. Every call first reserves its cost from the shop's limiter, reports the
 * bucket Shopify returns, retries transient failures a few times (waiting out throttles), records each failure by
 * type, and hands anything still failing to the caller as an AdminApiError (transient or permanent).
 */
export class ShopifyAdminClient {
  private readonly limiter: CostLimiter;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;

  constructor(private readonly options: AdminClientOptions) {
    this.limiter = options.limiter ?? sharedCostLimiter();
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxAttempts = options.maxAttempts ?? 4;
  }

  get shopDomain(): string {
    return this.options.shopDomain;
  }

  async request<TData, TVariables>(operation: AdminOperation<TData, TVariables>, variables: TVariables, query = operation.query): Promise<TData> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(operation, variables, query);
      } catch (raw) {
        const error = asAdminError(raw, `${operation.name} on ${this.options.shopDomain}`);
        await this.recordError(operation.name, error);
        if (!error.transient || attempt >= this.maxAttempts) throw error;
        if (!operation.repeatable && !notRun(error)) throw error;
        const wait = error.retryAfterSeconds ?? Math.min(8, 0.25 * 2 ** attempt);
        if (error.code === "THROTTLED" || error.code === "HTTP_429") await this.limiter.backoff(this.options.shopDomain, wait);
        else await sleep(wait * 1000 + Math.random() * 100);
      }
    }
  }

  private async attempt<TData, TVariables>(operation: AdminOperation<TData, TVariables>, variables: TVariables, query: string): Promise<TData> {
    const shop = this.options.shopDomain;
    const memoryKey = `${shop}|${operation.name}`;
    const known = costMemory.get(memoryKey);
    await this.limiter.reserve(shop, { requested: known?.requested ?? operation.requestedCost, expected: known?.actual ?? operation.requestedCost });

    let response: Response;
    try {
      response = await fetch(this.options.adminUrl, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json", "x-shopify-access-token": this.options.accessToken },
        body: JSON.stringify({ query, variables, operationName: operation.name }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
      throw new AdminApiError("transient", timedOut ? "TIMEOUT" : "NETWORK", `${operation.name}: ${timedOut ? "timed out" : "network error"} calling ${shop}`);
    }

    const text = await response.text();
    let body: GraphQLResponse<TData> | undefined;
    try {
      body = text ? (JSON.parse(text) as GraphQLResponse<TData>) : undefined;
    } catch {
      body = undefined;
    }

    const cost = body?.extensions?.cost;
    if (cost?.throttleStatus) await this.observe(cost.throttleStatus);
    if (cost?.requestedQueryCost !== undefined) {
      costMemory.set(memoryKey, { requested: cost.requestedQueryCost, actual: cost.actualQueryCost ?? known?.actual ?? cost.requestedQueryCost });
    }

    if (response.status === 429) {
      throw new AdminApiError("transient", "HTTP_429", `${operation.name}: 429 Too Many Requests from ${shop}`, [], retryAfterSeconds(response.headers.get("retry-after")) ?? 1);
    }
    if (response.status >= 500) throw new AdminApiError("transient", `HTTP_${response.status}`, `${operation.name}: ${shop} answered ${response.status}`);
    if (!response.ok) throw new AdminApiError("permanent", `HTTP_${response.status}`, `${operation.name}: ${shop} answered ${response.status}`);
    if (!body) throw new AdminApiError("transient", "BAD_RESPONSE", `${operation.name}: ${shop} answered something that is not JSON`);

    if (body.errors?.length) {
      const codes = body.errors.map((e) => e.extensions?.code ?? "GRAPHQL");
      if (codes.includes("THROTTLED")) {
        const status = cost?.throttleStatus;
        const need = cost?.requestedQueryCost ?? operation.requestedCost;
        const wait = status ? Math.max(0.2, (need - status.currentlyAvailable) / status.restoreRate) : 1;
        throw new AdminApiError("transient", "THROTTLED", `${operation.name}: throttled by ${shop}`, [], wait);
      }
      const transient = codes.every((c) => c === "INTERNAL_SERVER_ERROR" || c === "SERVICE_UNAVAILABLE");
      throw new AdminApiError(transient ? "transient" : "permanent", codes[0], `${operation.name}: ${body.errors.map((e) => e.message).join("; ")}`);
    }
    if (!body.data) throw new AdminApiError("transient", "BAD_RESPONSE", `${operation.name}: ${shop} answered without data`);
    return body.data;
  }

  /** A mutation answered with userErrors: recorded like any failure, then thrown to the caller. */
  async failWith(operation: string, error: AdminApiError): Promise<never> {
    await this.recordError(operation, error);
    throw error;
  }

  /**
   * Shopify has already run the call when we learn its bucket: failing to note the bucket must not turn the answer
   * into a failure, or the caller would retry a mutation that took effect (a second fulfillment).
   */
  private async observe(status: ThrottleStatus): Promise<void> {
    try {
      await this.limiter.observe(this.options.shopDomain, status);
    } catch (error) {
      console.error(`shopify cost limiter: could not record ${this.options.shopDomain}'s bucket`, error);
    }
  }

  private async recordError(operation: string, error: AdminApiError): Promise<void> {
    const m = this.options.metrics;
    if (!m) return;
    try {
      await recordMetric(m.db, {
        name: METRIC.adminApiError,
        value: 1,
        accountId: m.accountId,
        environment: m.environment,
        labels: { type: error.kind, code: error.code, operation, shop: this.options.shopDomain },
      });
    } catch (failure) {
      // A metric that cannot be written must not turn a Shopify failure into a different failure; it is logged.
      console.error(`shopify admin: could not record the ${error.code} error of ${operation} as a metric`, failure);
    }
  }
}
