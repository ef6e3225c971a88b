import { z } from "zod";
import type { Address, ChannelOrderLine } from "@/db/schema";
import { findUnstorable } from "@/lib/api/request";
import { toGid } from "./gid";

/**
 * A failure that no retry can fix (a payload the hub cannot turn into an order): the delivery goes straight to
 * the dead letters with this message, instead of being retried for a day.
 */
export class PermanentError extends Error {}

/** Thrown when a delivery must wait for another one (a cancellation that overtook its order): retried later. */
export class NotYetError extends Error {}

const id = z.union([z.number().int().positive(), z.string().regex(/^\d{1,20}$/)]).transform(String);
const nullableText = z.string().nullish();

const addressSchema = z
  .object({
    name: nullableText,
    first_name: nullableText,
    last_name: nullableText,
    company: nullableText,
    address1: nullableText,
    address2: nullableText,
    city: nullableText,
    province_code: nullableText,
    zip: nullableText,
    country_code: nullableText,
    phone: nullableText,
  })
  .passthrough();

const lineItemSchema = z
  .object({
    id,
    variant_id: id.nullish(),
    sku: nullableText,
    title: nullableText,
    name: nullableText,
    quantity: z.number().int().nonnegative(),
    current_quantity: z.number().int().nonnegative().nullish(),
    price: z.union([z.string(), z.number()]).nullish(),
    requires_shipping: z.boolean().nullish(),
  })
  .passthrough();

/** The parts of Shopify's REST-shaped order webhook the hub reads; everything else is ignored. */
export const shopifyOrderSchema = z
  .object({
    id,
    name: z.string().min(1),
    email: nullableText,
    contact_email: nullableText,
    created_at: z.string().min(1),
    updated_at: nullableText,
    cancelled_at: nullableText,
    cancel_reason: nullableText,
    currency: nullableText,
    tags: z.union([z.string(), z.array(z.string())]).nullish(),
    line_items: z.array(lineItemSchema),
    shipping_address: addressSchema.nullish(),
    billing_address: addressSchema.nullish(),
    shipping_lines: z.array(z.object({ title: nullableText, code: nullableText }).passthrough()).nullish(),
  })
  .passthrough();

export type ShopifyOrder = z.infer<typeof shopifyOrderSchema>;

const productSchema = z
  .object({
    id,
    title: nullableText,
    variants: z
      .array(z.object({ id, sku: nullableText, inventory_item_id: id.nullish() }).passthrough())
      .nullish(),
  })
  .passthrough();

export type ShopifyProduct = z.infer<typeof productSchema>;

function parse<T extends z.ZodType>(schema: T, rawBody: string, what: string): z.infer<T> {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    throw new PermanentError(`The ${what} payload is not JSON.`);
  }
  // Stored text keeps \u escapes as sent; what they decode to must still fit PostgreSQL, or nothing is taken from it.
  const unstorable = findUnstorable(json);
  if (unstorable) throw new PermanentError(`The ${what} payload is not usable: ${unstorable.message}`);
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new PermanentError(`The ${what} payload is not usable: ${issue.path.join(".") || "(root)"} ${issue.message}.`);
  }
  return result.data;
}

export const parseShopifyOrder = (rawBody: string) => parse(shopifyOrderSchema, rawBody, "order");
export const parseShopifyProduct = (rawBody: string) => parse(productSchema, rawBody, "product");

/** The timestamp as a Date, or null when Shopify sent none or something unreadable. */
export function dateOf(value: string | null | undefined): Date | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * The lines the warehouse must ship, as Shopify has them now: current_quantity (what remains after edits)
 * else quantity; removed lines and lines that need no shipping (gift cards, digital goods) are left out.
 */
export function channelLinesOf(order: ShopifyOrder): ChannelOrderLine[] {
  return order.line_items
    .filter((l) => l.requires_shipping !== false)
    .map((l) => ({
      lineItemId: l.id,
      variantId: l.variant_id ? toGid("ProductVariant", l.variant_id) : null,
      sku: l.sku?.trim() || null,
      title: (l.name ?? l.title ?? null)?.slice(0, 500) || null,
      quantity: l.current_quantity ?? l.quantity,
      price: l.price === null || l.price === undefined ? null : String(l.price),
    }))
    .filter((l) => l.quantity > 0);
}

function clip(value: string | null | undefined, max: number): string | null {
  const text = value?.trim();
  return text ? text.slice(0, max) : null;
}

/** §10: ship_to from shipping_address (province_code → state, zip → postcode, country_code → country), email from the order. */
export function shipToOf(order: ShopifyOrder): Address {
  const a = order.shipping_address ?? null;
  if (!a) throw new PermanentError(`Order ${order.name} has no shipping address: nothing to ship to.`);
  const address1 = clip(a.address1, 300);
  const city = clip(a.city, 200);
  const country = a.country_code?.trim().toUpperCase();
  if (!address1 || !city || !country || !/^[A-Z]{2}$/.test(country)) {
    throw new PermanentError(`Order ${order.name} has an incomplete shipping address (address1, city and country_code are needed).`);
  }
  const name = clip(a.name, 200) ?? clip([a.first_name, a.last_name].filter(Boolean).join(" "), 200);
  return {
    name,
    company: clip(a.company, 200),
    email: clip(order.email ?? order.contact_email, 320),
    phone: clip(a.phone, 50),
    address1,
    address2: clip(a.address2, 300),
    city,
    state: clip(a.province_code, 100),
    postcode: clip(a.zip, 20),
    country,
  };
}

/** Shopify sends tags as one comma-separated string. */
export function tagsOf(order: ShopifyOrder): string[] {
  const raw = Array.isArray(order.tags) ? order.tags : (order.tags ?? "").split(",");
  return [...new Set(raw.map((t) => t.trim().slice(0, 100)).filter(Boolean))].slice(0, 50);
}

export function shippingTitleOf(order: ShopifyOrder): string | null {
  return order.shipping_lines?.find((l) => l.title?.trim())?.title?.trim() ?? null;
}

/** A valid API decimal string, or null: a price the contract cannot carry is dropped rather than failing the order. */
export function priceOf(price: string | null): string | null {
  return price && /^\d{1,10}(\.\d{1,4})?$/.test(price) ? price : null;
}

/** What the hub calls a line whose SKU nothing maps: its Shopify SKU, else something that names the variant. */
export function channelSkuLabel(line: ChannelOrderLine): string {
  return line.sku ?? (line.variantId ? `shopify-variant-${line.variantId.slice(line.variantId.lastIndexOf("/") + 1)}` : `shopify-line-${line.lineItemId}`);
}
