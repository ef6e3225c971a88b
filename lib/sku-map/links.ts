import type { Tenant } from "@/lib/context";

/**
 * The dashboard's "add this mapping" form, prefilled from an unmapped channel line. Unmapped-SKU exceptions
 * carry it (data.action_href) so whoever sees the exception is one click from the fix.
 */
export function addMappingHref(input: Tenant & { channelSku?: string | null; variantId?: string | null; orderId?: string | null }): string {
  const params = new URLSearchParams({ account: input.accountId, env: input.environment });
  if (input.channelSku) params.set("channel_sku", input.channelSku);
  if (input.variantId) params.set("variant_id", input.variantId.slice(input.variantId.lastIndexOf("/") + 1));
  if (input.orderId) params.set("order", input.orderId);
  return `/sku-map/new?${params.toString()}`;
}
