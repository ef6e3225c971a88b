import type { Metadata } from "next";
import { DeadLetterTable } from "@/components/webhooks/dead-letter-table";
import { EndpointTable } from "@/components/webhooks/endpoint-table";
import { Card, PageHeader } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/dashboard";
import { hasRole } from "@/lib/auth/dashboard-users";
import { ALL_ROLES } from "@/lib/dashboard/nav";
import { listDeadLetters, listEndpointHealth, WEBHOOK_OPS_ROLES } from "@/lib/webhooks/dashboard";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage() {
  const user = await requireUser(ALL_ROLES);
  const canAct = hasRole(user, WEBHOOK_OPS_ROLES);
  const db = getDb();
  const [endpoints, deadLetters] = await Promise.all([listEndpointHealth(db), listDeadLetters(db, { limit: 50 })]);
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Partner endpoints and how deliveries to them are going. Failed deliveries are retried for 24 hours, then become dead letters here."
        actions={
          <form action="/webhooks/events" method="get" role="search" className="flex items-end gap-2">
            <div>
              <label htmlFor="event-id" className="field-label">
                Delivery log of an event
              </label>
              <input id="event-id" name="id" required pattern="evt_[A-Za-z0-9]+" placeholder="evt_…" className="field-input w-72 font-mono" />
            </div>
            <button type="submit" className="btn-secondary">
              Show
            </button>
          </form>
        }
      />
      <div className="flex flex-col gap-6">
        <Card title={`Endpoints (${endpoints.length})`} id="endpoints">
          <EndpointTable rows={endpoints} />
        </Card>
        <Card title={`Dead letters${deadLetters.length ? ` (latest ${deadLetters.length})` : ""}`} id="dead-letters">
          <DeadLetterTable rows={deadLetters} canReplay={canAct} />
        </Card>
      </div>
    </>
  );
}
