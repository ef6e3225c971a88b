import type { Metadata } from "next";
import { QueueFilterBar } from "@/components/exceptions/filter-bar";
import { ExceptionQueue } from "@/components/exceptions/queue";
import { PageHeader } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/dashboard";
import { hasRole } from "@/lib/auth/dashboard-users";
import { displayTimeZone } from "@/lib/dashboard/time-zone";
import { queueQuerySchema, type QueueQuery } from "@/lib/exceptions/filters";
import { listExceptionQueue, presentQueueRow, queueFilterOptions } from "@/lib/exceptions/queue";
import { FIX_ROLES, TRIAGE_ROLES } from "@/lib/exceptions/roles";
import { suggestedSnooze } from "@/lib/exceptions/snooze";

export const metadata: Metadata = { title: "Exceptions" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function ExceptionsPage({ searchParams }: Props) {
  const user = await requireUser(TRIAGE_ROLES);
  const params = await searchParams;
  const parsed = queueQuerySchema.safeParse(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])));
  // A hand-edited URL with a bad filter shows the whole queue and says which filter was dropped.
  const query: QueueQuery = parsed.success ? parsed.data : {};
  const db = getDb();
  const [queue, options] = await Promise.all([listExceptionQueue(db, user, query), queueFilterOptions(db)]);
  return (
    <>
      <PageHeader
        title="Exceptions"
        description="Everything that needs a person: stuck orders, orders no warehouse can take, unmapped products and statuses, refused changes, dead pushes and webhooks. Oldest first; identical causes are one row."
      />
      {parsed.success ? null : (
        <p role="alert" className="mb-3 text-sm text-red-700">
          Ignored the filters: {parsed.error.issues[0].message}
        </p>
      )}
      <QueueFilterBar query={query} options={options} />
      <ExceptionQueue
        initial={{ data: queue.rows.map(presentQueueRow), counts: queue.counts, total: queue.total }}
        query={query}
        me={user.email}
        canFix={hasRole(user, FIX_ROLES)}
        defaultUntil={suggestedSnooze(displayTimeZone())}
        warehouses={options.warehouses}
      />
    </>
  );
}
