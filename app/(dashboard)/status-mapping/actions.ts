"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/dashboard";
import { STATUS_MAPPING_EDIT_ROLES } from "@/lib/dashboard/nav";
import { saveStatusMapping, StatusMappingError } from "@/lib/status-mapping/mappings";
import { APPLIES_TO, type AppliesTo } from "@/lib/status-mapping/rules";

export type SaveMappingState =
  | { ok: true; data: { id: string; source: string; rawStatus: string; canonicalStatus: string } }
  | { ok: false; error: string; fieldErrors: Record<string, string> }
  | null;

const text = (form: FormData, name: string) => String(form.get(name) ?? "");

/** Adds or edits a status mapping; the domain checks the guardrails and records the change with the user's email. */
export async function saveMappingAction(_previous: SaveMappingState, form: FormData): Promise<SaveMappingState> {
  const user = await requireUser(STATUS_MAPPING_EDIT_ROLES);
  const appliesTo = text(form, "appliesTo");
  if (!(APPLIES_TO as readonly string[]).includes(appliesTo)) {
    return { ok: false, error: "Fix the highlighted fields.", fieldErrors: { appliesTo: "Choose order or shipment." } };
  }
  const id = text(form, "id");
  if (id && !/^stm_[a-z0-9]{10,64}$/.test(id)) return { ok: false, error: "Unknown mapping; reload the page.", fieldErrors: {} };
  try {
    const saved = await saveStatusMapping(getDb(), user.email, {
      id: id || undefined,
      source: text(form, "source"),
      rawStatus: text(form, "rawStatus"),
      appliesTo: appliesTo as AppliesTo,
      canonicalStatus: text(form, "canonicalStatus"),
      customerMessage: text(form, "customerMessage"),
      ownerSystem: text(form, "ownerSystem"),
      labelOnly: form.get("labelOnly") === "on",
    });
    revalidatePath("/status-mapping");
    return { ok: true, data: { id: saved.id, source: saved.source, rawStatus: saved.rawStatus, canonicalStatus: saved.canonicalStatus } };
  } catch (error) {
    if (error instanceof StatusMappingError) return { ok: false, error: "Fix the highlighted fields.", fieldErrors: error.fieldErrors };
    console.error("saving a status mapping failed", error);
    return { ok: false, error: "Something went wrong; nothing was changed.", fieldErrors: {} };
  }
}
