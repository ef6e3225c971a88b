import { toGid } from "@/lib/channels/shopify/gid";

/** The mapping form as typed by a person: raw strings, checked here. */
export type MappingForm = {
  id?: string;
  channelSku: string;
  variantId: string;
  accountSku: string;
  warehouseItemCode: string;
  active: boolean;
};

const CONTROL = /[\u0000-\u001f\u007f]/;

/** The checks the form runs as the user types, and the server runs again: keys present and well formed. */
export function mappingFormErrors(form: Omit<MappingForm, "id">): Record<string, string> {
  const errors: Record<string, string> = {};
  const channelSku = form.channelSku.trim();
  const variantId = form.variantId.trim();
  if (!channelSku && !variantId) errors.channelSku = "Give the Shopify SKU, the variant id, or both.";
  if (variantId && !toGid("ProductVariant", variantId)) errors.variantId = "A variant id is a number or gid://shopify/ProductVariant/….";
  if (!form.accountSku.trim()) errors.accountSku = "Choose the account's SKU this maps to.";
  for (const key of ["channelSku", "accountSku", "warehouseItemCode"] as const) {
    const value = form[key].trim();
    if (value.length > 200) errors[key] = "At most 200 characters.";
    else if (CONTROL.test(value)) errors[key] = "No control characters.";
  }
  return errors;
}
