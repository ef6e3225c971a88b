"use server";

import { inArray } from "drizzle-orm";
import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { orders } from "@/db/schema";
import { requireUser } from "@/lib/auth/dashboard";
import { rerunHeldOrders } from "@/lib/channels/shopify/sku-map";
import type { DomainContext } from "@/lib/context";
import { CHANNEL_OPS_ROLES } from "@/lib/dashboard/nav";
import { setMappingActive, verifyMapping } from "@/lib/sku-map/mappings";
import { saveMapping } from "@/lib/sku-map/save";
import { resolveScope } from "@/lib/sku-map/scope";

export type SaveSkuMappingState =
  | { ok: true; data: { message: string; released: { id: string; orderNumber: string; status: string }[] } }
  | { ok: false; error: string; fieldErrors: Record<string, string> }
  | null;

export type RowActionState = { ok: true; data: { message: string } } | { ok: false; error: string; fieldErrors: Record<string, string> } | null;

const text = (form: FormData, name: string) => String(form.get(name) ?? "");

async function scopeOf(form: FormData, actor: string): Promise<DomainContext | null> {
  const scope = await resolveScope(getDb(), text(form, "account"), text(form, "env"));
  return scope ? { accountId: scope.accountId, environment: scope.environment, source: "dashboard", actor } : null;
}

/** Adds or edits a mapping, then re-runs the account's orders held for unmapped SKUs: the fix takes effect at once. */
export async function saveSkuMappingAction(_previous: SaveSkuMappingState, form: FormData): Promise<SaveSkuMappingState> {
  const user = await requireUser(CHANNEL_OPS_ROLES);
  const ctx = await scopeOf(form, user.email);
  if (!ctx) return { ok: false, error: "Unknown account; reload the page.", fieldErrors: {} };
  const id = text(form, "id");
  try {
    const saved = await saveMapping(getDb(), ctx, {
      id: id || undefined,
      channelSku: text(form, "channelSku"),
      variantId: text(form, "variantId"),
      accountSku: text(form, "accountSku"),
      warehouseItemCode: text(form, "warehouseItemCode"),
      active: form.get("active") === "on",
    });
    if (!saved.ok) return saved;
    const releasedIds = await rerunHeldOrders(getDb(), ctx);
    const released = releasedIds.length
      ? await getDb().select({ id: orders.id, orderNumber: orders.orderNumber, status: orders.status }).from(orders).where(inArray(orders.id, releasedIds))
      : [];
    revalidatePath("/sku-map");
    const key = saved.mapping.channelSku ?? saved.mapping.variantId ?? "";
    return { ok: true, data: { message: `${saved.created ? "Added" : "Saved"} the mapping for ${key}.`, released } };
  } catch (error) {
    console.error("saving a SKU mapping failed", error);
    return { ok: false, error: "Something went wrong; nothing was changed.", fieldErrors: {} };
  }
}

/** Verify (after a product change) or switch a mapping on/off, from the map's table. */
export async function mappingRowAction(_previous: RowActionState, form: FormData): Promise<RowActionState> {
  const user = await requireUser(CHANNEL_OPS_ROLES);
  const ctx = await scopeOf(form, user.email);
  if (!ctx) return { ok: false, error: "Unknown account; reload the page.", fieldErrors: {} };
  const id = text(form, "id");
  const op = text(form, "op");
  const row =
    op === "verify" ? await verifyMapping(getDb(), ctx, id) : op === "activate" || op === "deactivate" ? await setMappingActive(getDb(), ctx, id, op === "activate") : undefined;
  if (!row) return { ok: false, error: "This mapping no longer exists; reload the page.", fieldErrors: {} };
  if (op === "activate") await rerunHeldOrders(getDb(), ctx);
  revalidatePath("/sku-map");
  return { ok: true, data: { message: op === "verify" ? "Verified." : op === "activate" ? "Active." : "Inactive." } };
}
