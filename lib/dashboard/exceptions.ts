import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { accounts, operationalExceptions, orders, type Environment } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import type { DashboardUserInfo } from "@/lib/auth/dashboard-users";
import { appendOrderEvent } from "@/lib/events/timeline";

export type ExceptionRow = {
  id: string;
  kind: string;
  message: string;
  accountId: string;
  accountName: string;
  environment: Environment;
  orderId: string | null;
  orderNumber: string | null;
  createdAt: Date;
  /** The fix, when the flow that raised it knows one (e.g. "Add this mapping" → the prefilled form). */
  action: { label: string; href: string } | null;
};

/** data.action_label/action_href of an exception, kept only when it points inside the dashboard. */
function actionOf(data: Record<string, unknown> | null): ExceptionRow["action"] {
  const href = data?.action_href;
  const label = data?.action_label;
  if (typeof href !== "string" || typeof label !== "string" || !href.startsWith("/") || href.startsWith("//")) return null;
  return { label, href };
}

const KIND_LABELS: Record<string, string> = {
  no_eligible_warehouse: "No warehouse can fulfil",
  routing_failure: "Routing failure",
  unmapped_sku: "Unmapped SKU",
  unmapped_status: "Unmapped status",
  cancellation_declined: "Cancellation declined",
  amendment_rejected: "Amendment rejected",
  push_failed: "Channel push failed",
  stuck_order: "Stuck order",
};

/** A readable label for an exception kind; unknown kinds are shown as their words. */
export function exceptionKindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind.replaceAll("_", " ").replace(/^./, (c) => c.toUpperCase());
}

/** Open exceptions, oldest first: the work queue of whoever is on duty. */
export async function listOpenExceptions(
  db: DbOrTx,
  filters: { accountId?: string; environment?: Environment; kind?: string; limit?: number } = {},
): Promise<ExceptionRow[]> {
  const where: SQL[] = [eq(operationalExceptions.status, "open")];
  if (filters.accountId) where.push(eq(operationalExceptions.accountId, filters.accountId));
  if (filters.environment) where.push(eq(operationalExceptions.environment, filters.environment));
  if (filters.kind) where.push(eq(operationalExceptions.kind, filters.kind));
  const rows = await db
    .select({
      id: operationalExceptions.id,
      kind: operationalExceptions.kind,
      message: operationalExceptions.message,
      accountId: operationalExceptions.accountId,
      accountName: sql<string>`coalesce(${accounts.name}, ${operationalExceptions.accountId})`,
      environment: operationalExceptions.environment,
      orderId: operationalExceptions.orderId,
      orderNumber: orders.orderNumber,
      createdAt: operationalExceptions.createdAt,
      data: operationalExceptions.data,
    })
    .from(operationalExceptions)
    .leftJoin(accounts, eq(accounts.id, operationalExceptions.accountId))
    .leftJoin(orders, eq(orders.id, operationalExceptions.orderId))
    .where(and(...where))
    .orderBy(asc(operationalExceptions.createdAt), asc(operationalExceptions.id))
    .limit(Math.min(filters.limit ?? 200, 500));
  return rows.map(({ data, ...row }) => ({ ...row, action: actionOf(data) }));
}

export type ResolveResult = { ok: true } | { ok: false; error: string };

/**
 * Marks an exception resolved and, when it concerns an order, says so on the order's timeline in the same
 * transaction (source "dashboard", actor the user's e-mail), so the resolution is part of the order's history.
 */
export async function resolveException(db: Db, user: Pick<DashboardUserInfo, "email">, input: { exceptionId: string; note?: string }): Promise<ResolveResult> {
  const note = input.note?.trim().slice(0, 1000) ?? "";
  return inTransaction(db, async (tx) => {
    const [resolved] = await tx
      .update(operationalExceptions)
      .set({ status: "resolved", resolvedAt: sql`now()`, resolvedBy: user.email, updatedAt: sql`now()` })
      .where(and(eq(operationalExceptions.id, input.exceptionId), eq(operationalExceptions.status, "open")))
      .returning();
    if (!resolved) {
      const [existing] = await tx.select({ status: operationalExceptions.status }).from(operationalExceptions).where(eq(operationalExceptions.id, input.exceptionId));
      return { ok: false, error: existing ? "This exception was already resolved." : "This exception does not exist." };
    }
    if (resolved.orderId) {
      await appendOrderEvent(
        tx,
        { accountId: resolved.accountId, environment: resolved.environment, source: "dashboard", actor: user.email },
        resolved.orderId,
        {
          type: "exception_resolved",
          message: `Exception resolved: ${exceptionKindLabel(resolved.kind)}${note ? ` — ${note}` : ""}`,
          data: { exception_id: resolved.id, kind: resolved.kind, ...(note ? { note } : {}) },
        },
      );
    }
    return { ok: true };
  });
}
