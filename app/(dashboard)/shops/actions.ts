"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/dashboard";
import { connectShop, ConnectionInputError } from "@/lib/channels/shopify/connections";
import { retryDelivery } from "@/lib/channels/shopify/process";
import { CHANNEL_OPS_ROLES } from "@/lib/dashboard/nav";

export type ShopFormState = { ok: true; data: { message: string } } | { ok: false; error: string; fieldErrors: Record<string, string> } | null;

const text = (form: FormData, name: string) => String(form.get(name) ?? "").trim();

/** Connects a shop or updates its connection. Secrets left blank on an update keep the stored ones; none is ever sent back. */
export async function saveShopAction(_previous: ShopFormState, form: FormData): Promise<ShopFormState> {
  await requireUser(CHANNEL_OPS_ROLES);
  const locations = form
    .getAll("location")
    .map(String)
    .map((location, i) => ({ location: location.trim(), warehouse: String(form.getAll("warehouse")[i] ?? "").trim() }))
    .filter((l) => l.location || l.warehouse);
  if (locations.some((l) => !l.location || !l.warehouse)) {
    return { ok: false, error: "Fix the highlighted fields.", fieldErrors: { location: "Each row needs a Shopify location id and a warehouse." } };
  }
  const interval = text(form, "inventorySyncIntervalSeconds");
  if (interval && !/^\d+$/.test(interval)) return { ok: false, error: "Fix the highlighted fields.", fieldErrors: { inventory_sync_interval_seconds: "Whole seconds." } };
  try {
    const { connection, created } = await connectShop(getDb(), {
      shopDomain: text(form, "shop"),
      accountName: text(form, "account"),
      environment: text(form, "env") === "live" ? "live" : "sandbox",
      webhookSecret: text(form, "secret") || undefined,
      adminToken: text(form, "token") || undefined,
      adminUrl: text(form, "adminUrl") || null,
      inventorySyncIntervalSeconds: interval ? Number(interval) : null,
      locations,
      active: form.get("active") === "on",
    });
    revalidatePath("/shops");
    return { ok: true, data: { message: `${created ? "Connected" : "Updated"} ${connection.shopDomain}.` } };
  } catch (error) {
    if (error instanceof ConnectionInputError) return { ok: false, error: "Fix the highlighted fields.", fieldErrors: { [error.field]: error.message } };
    console.error("saving a shop connection failed", error);
    return { ok: false, error: "Something went wrong; nothing was changed.", fieldErrors: {} };
  }
}

/** Puts a dead (or failing) webhook delivery back in the queue with fresh retries. */
export async function retryDeliveryAction(_previous: ShopFormState, form: FormData): Promise<ShopFormState> {
  await requireUser(CHANNEL_OPS_ROLES);
  const ok = await retryDelivery(getDb(), text(form, "id"));
  revalidatePath("/shops/inbox");
  return ok ? { ok: true, data: { message: "Queued again." } } : { ok: false, error: "Already processed, or no longer there.", fieldErrors: {} };
}
