import { and, asc, count, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { inTransaction } from "@/db/transaction";
import { webhookDeliveries, webhookEndpoints, type WebhookEndpoint } from "@/db/schema";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { decodeIdCursor, paginate, type Pagination } from "@/lib/api/pagination";
import type { Tenant } from "@/lib/context";
import { encryptSecret } from "@/lib/crypto/secrets";
import type { EventType } from "@/lib/events/outbox";
import { newId } from "@/lib/ids";
import type { CreatedWebhookObject, CreateWebhookInput, WebhookObject } from "./schema";
import { generateSigningSecret } from "./signing";
import { assertAllowedTarget, parseWebhookUrl } from "./url-policy";

/** Subscriptions per account and environment: each one multiplies every event into a delivery. */
export const MAX_WEBHOOKS = 20;

export function presentWebhook(row: WebhookEndpoint): WebhookObject {
  return {
    id: row.id,
    url: row.url,
    events: row.events as EventType[],
    status: row.status,
    disabled_reason: row.disabledReason,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/** The associated data that binds an endpoint's encrypted secret to its row. */
export function secretContext(endpointId: string): string {
  return `webhook_endpoints:${endpointId}`;
}

/** Creates a subscription; the secret is in this result only, stored encrypted. */
export async function createWebhook(db: Db, ctx: Tenant, input: CreateWebhookInput): Promise<CreatedWebhookObject> {
  const url = parseWebhookUrl(input.url);
  await assertAllowedTarget(url);
  const events = [...new Set(input.events)];
  const id = newId("whk");
  const secret = generateSigningSecret();
  const row = await inTransaction(db, async (tx) => {
    const [{ n }] = await tx
      .select({ n: count() })
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.accountId, ctx.accountId), eq(webhookEndpoints.environment, ctx.environment), isNull(webhookEndpoints.deletedAt)));
    if (n >= MAX_WEBHOOKS) throw new ValidationError(`An account may have at most ${MAX_WEBHOOKS} webhooks per environment; delete one first.`);
    const [created] = await tx
      .insert(webhookEndpoints)
      .values({ id, accountId: ctx.accountId, environment: ctx.environment, url: url.href, events, secretCiphertext: encryptSecret(secret, secretContext(id)) })
      .returning();
    return created;
  });
  return { ...presentWebhook(row), secret };
}

function tenantEndpoint(ctx: Tenant, id: string) {
  return and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.accountId, ctx.accountId), eq(webhookEndpoints.environment, ctx.environment), isNull(webhookEndpoints.deletedAt));
}

export async function getWebhook(db: DbOrTx, ctx: Tenant, id: string): Promise<WebhookObject> {
  const [row] = await db.select().from(webhookEndpoints).where(tenantEndpoint(ctx, id));
  if (!row) throw new NotFoundError("Webhook", id);
  return presentWebhook(row);
}

/** Oldest first, by id (ids are time-ordered). */
export async function listWebhooks(db: DbOrTx, ctx: Tenant, params: { limit: number; cursor?: string }): Promise<{ data: WebhookObject[]; pagination: Pagination }> {
  const after = decodeIdCursor(params.cursor);
  const rows = await db
    .select()
    .from(webhookEndpoints)
    .where(
      and(
        eq(webhookEndpoints.accountId, ctx.accountId),
        eq(webhookEndpoints.environment, ctx.environment),
        isNull(webhookEndpoints.deletedAt),
        after ? gt(webhookEndpoints.id, after) : undefined,
      ),
    )
    .orderBy(asc(webhookEndpoints.id))
    .limit(params.limit + 1);
  const { page, pagination } = paginate(rows, params.limit, (row) => ({ ts: "", id: row.id }));
  return { data: page.map(presentWebhook), pagination };
}

/** Deletes a subscription: nothing more is sent to it, deliveries still owed are cancelled, the log stays. */
export async function deleteWebhook(db: Db, ctx: Tenant, id: string): Promise<void> {
  await inTransaction(db, async (tx) => {
    const [row] = await tx.update(webhookEndpoints).set({ deletedAt: sql`now()`, updatedAt: sql`now()` }).where(tenantEndpoint(ctx, id)).returning({ id: webhookEndpoints.id });
    if (!row) throw new NotFoundError("Webhook", id);
    await tx
      .update(webhookDeliveries)
      .set({ status: "cancelled", leaseUntil: null, leaseToken: null, lastError: "webhook deleted", updatedAt: sql`now()` })
      .where(and(eq(webhookDeliveries.endpointId, id), eq(webhookDeliveries.status, "pending")));
  });
}
