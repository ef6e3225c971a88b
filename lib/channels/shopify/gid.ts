/** Shopify ids as the GraphQL Admin API names them: "123" or "gid://shopify/Kind/123" → the gid. */
export function toGid(kind: "Location" | "ProductVariant" | "InventoryItem" | "Order" | "LineItem" | "Product", id: string | number): string | null {
  const text = String(id).trim();
  if (/^[1-9]\d{0,19}$/.test(text)) return `gid://shopify/${kind}/${text}`;
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/([1-9]\d{0,19})$/.exec(text);
  return match && match[1] === kind ? text : null;
}

/** "gid://shopify/Kind/123" → "123" (REST-style webhook payloads carry the bare number). */
export function numericIdOf(gid: string): string {
  return gid.slice(gid.lastIndexOf("/") + 1);
}
