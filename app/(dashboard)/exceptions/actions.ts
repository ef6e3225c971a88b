"use server";

import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/dashboard";
import { RESOLVE_EXCEPTION_ROLES } from "@/lib/dashboard/nav";
import { resolveException } from "@/lib/dashboard/exceptions";

export type ResolveState = { ok: true; data: { exceptionId: string } } | { ok: false; error: string; fieldErrors?: Record<string, string> } | null;

/** Resolves an open exception; the resolution goes on the order's timeline, attributed to the signed-in user. */
export async function resolveExceptionAction(_previous: ResolveState, form: FormData): Promise<ResolveState> {
  const user = await requireUser(RESOLVE_EXCEPTION_ROLES);
  const exceptionId = String(form.get("exceptionId") ?? "");
  const note = String(form.get("note") ?? "");
  if (!/^[A-Za-z0-9_]{1,80}$/.test(exceptionId)) return { ok: false, error: "Unknown exception." };
  if (note.length > 1000) return { ok: false, error: "The note is too long.", fieldErrors: { note: "At most 1000 characters." } };
  const result = await resolveException(getDb(), user, { exceptionId, note });
  if (!result.ok) return { ok: false, error: result.error };
  // No revalidation: the row stays on screen saying "Resolved" (the list is rendered fresh on the next visit,
  // and order pages are dynamic and poll).
  return { ok: true, data: { exceptionId } };
}
