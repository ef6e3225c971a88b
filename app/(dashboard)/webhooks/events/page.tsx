import { redirect } from "next/navigation";
import { requireUser } from "@/lib/auth/dashboard";
import { ALL_ROLES } from "@/lib/dashboard/nav";

/** The lookup form's target: /webhooks/events?id=evt_… → the event's delivery log. */
export default async function EventLookup({ searchParams }: { searchParams: Promise<{ id?: string | string[] }> }) {
  await requireUser(ALL_ROLES);
  const { id } = await searchParams;
  const eventId = (Array.isArray(id) ? id[0] : id)?.trim();
  redirect(eventId ? `/webhooks/events/${encodeURIComponent(eventId)}` : "/webhooks");
}
