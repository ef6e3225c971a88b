import { and, asc, eq, ilike, inArray, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { skuMappings, skus, type SkuMapping } from "@/db/schema";
import type { Tenant } from "@/lib/context";
import { newId } from "@/lib/ids";

export const DEFAULT_CHANNEL = "shopify";

/** A channel line as the SKU map sees it: the variant (gid) and/or the channel's SKU text. */
export type ChannelLineKey = { variantId: string | null; channelSku: string | null };

export type ResolvedSku = { skuId: string; sku: string; warehouseItemCode: string | null; mappingId: string | null };

function tenantOf(ctx: Tenant, channel: string): SQL[] {
  return [eq(skuMappings.accountId, ctx.accountId), eq(skuMappings.environment, ctx.environment), eq(skuMappings.channel, channel)];
}

/**
 * The account SKU behind each channel line, in line order; null for a line nothing maps. An active mapping by
 * variant wins (variants survive SKU renames), then one by channel SKU, then a channel SKU that is itself a SKU
 * of the account (a shop that already uses the warehouse's codes needs no map rows).
 */
export async function resolveChannelSkus(db: DbOrTx, ctx: Tenant, lines: ChannelLineKey[], channel = DEFAULT_CHANNEL): Promise<(ResolvedSku | null)[]> {
  const variants = [...new Set(lines.map((l) => l.variantId).filter((v): v is string => Boolean(v)))];
  const channelSkus = [...new Set(lines.map((l) => l.channelSku).filter((s): s is string => Boolean(s)))];
  if (!variants.length && !channelSkus.length) return lines.map(() => null);
  const keys: SQL[] = [];
  if (variants.length) keys.push(inArray(skuMappings.variantId, variants));
  if (channelSkus.length) keys.push(inArray(skuMappings.channelSku, channelSkus));
  const [mapped, direct] = await Promise.all([
    db
      .select({ id: skuMappings.id, variantId: skuMappings.variantId, channelSku: skuMappings.channelSku, skuId: skus.id, sku: skus.sku, code: skuMappings.warehouseItemCode, skuCode: skus.warehouseItemCode })
      .from(skuMappings)
      .innerJoin(skus, eq(skus.id, skuMappings.skuId))
      .where(and(...tenantOf(ctx, channel), eq(skuMappings.active, true), or(...keys))),
    channelSkus.length
      ? db
          .select({ id: skus.id, sku: skus.sku, code: skus.warehouseItemCode })
          .from(skus)
          .where(and(eq(skus.accountId, ctx.accountId), eq(skus.environment, ctx.environment), inArray(skus.sku, channelSkus)))
      : Promise.resolve([]),
  ]);
  const byVariant = new Map(mapped.filter((m) => m.variantId).map((m) => [m.variantId as string, m]));
  const bySku = new Map(mapped.filter((m) => m.channelSku).map((m) => [m.channelSku as string, m]));
  const byAccountSku = new Map(direct.map((d) => [d.sku, d]));
  return lines.map((line) => {
    const m = (line.variantId && byVariant.get(line.variantId)) || (line.channelSku && bySku.get(line.channelSku)) || undefined;
    if (m) return { skuId: m.skuId, sku: m.sku, warehouseItemCode: m.code ?? m.skuCode, mappingId: m.id };
    const d = line.channelSku ? byAccountSku.get(line.channelSku) : undefined;
    return d ? { skuId: d.id, sku: d.sku, warehouseItemCode: d.code, mappingId: null } : null;
  });
}

export type MappingInput = {
  channelSku: string | null;
  variantId: string | null;
  skuId: string;
  warehouseItemCode: string | null;
  active: boolean;
};

/** The existing rows a mapping would upsert onto: by variant and by channel SKU (they may differ: a conflict). */
export async function findMappingTargets(db: DbOrTx, ctx: Tenant, keys: ChannelLineKey, channel = DEFAULT_CHANNEL) {
  const conditions: SQL[] = [];
  if (keys.variantId) conditions.push(eq(skuMappings.variantId, keys.variantId));
  if (keys.channelSku) conditions.push(eq(skuMappings.channelSku, keys.channelSku));
  if (!conditions.length) return { byVariant: undefined, bySku: undefined };
  const rows = await db
    .select()
    .from(skuMappings)
    .where(and(...tenantOf(ctx, channel), or(...conditions)));
  return {
    byVariant: keys.variantId ? rows.find((r) => r.variantId === keys.variantId) : undefined,
    bySku: keys.channelSku ? rows.find((r) => r.channelSku === keys.channelSku) : undefined,
  };
}

/**
 * Writes one mapping, upserting by variant or channel SKU. An empty key on input keeps the stored one (a CSV
 * with only channel SKUs does not erase variant ids learned elsewhere). Saving a mapping verifies it.
 * Returns null when the keys point at two different rows (the caller reports the conflict).
 */
export async function upsertMapping(tx: DbOrTx, ctx: Tenant, input: MappingInput, channel = DEFAULT_CHANNEL): Promise<{ mapping: SkuMapping; created: boolean } | null> {
  const { byVariant, bySku } = await findMappingTargets(tx, ctx, input, channel);
  if (byVariant && bySku && byVariant.id !== bySku.id) return null;
  const existing = byVariant ?? bySku;
  const values = {
    skuId: input.skuId,
    warehouseItemCode: input.warehouseItemCode,
    active: input.active,
    lastVerifiedAt: sql`now()`,
    needsVerification: false,
  };
  if (existing) {
    const [mapping] = await tx
      .update(skuMappings)
      .set({
        ...values,
        channelSku: input.channelSku ?? existing.channelSku,
        variantId: input.variantId ?? existing.variantId,
        // The cached inventory item belongs to the variant: a different variant must look it up again.
        inventoryItemId: input.variantId && input.variantId !== existing.variantId ? null : existing.inventoryItemId,
      })
      .where(eq(skuMappings.id, existing.id))
      .returning();
    return { mapping, created: false };
  }
  const [mapping] = await tx
    .insert(skuMappings)
    .values({ id: newId("skm"), accountId: ctx.accountId, environment: ctx.environment, channel, channelSku: input.channelSku, variantId: input.variantId, ...values })
    .returning();
  return { mapping, created: true };
}

export type MappingRow = SkuMapping & { sku: string };

/** The account's map for the ops page, searchable by channel SKU, variant, account SKU or item code. */
export async function listMappings(
  db: DbOrTx,
  ctx: Tenant,
  options: { q?: string; limit?: number; offset?: number; needsVerification?: boolean; channel?: string } = {},
): Promise<{ rows: MappingRow[]; total: number }> {
  const conditions = [...tenantOf(ctx, options.channel ?? DEFAULT_CHANNEL)];
  const q = options.q?.trim();
  if (q) {
    const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(ilike(skuMappings.channelSku, like), ilike(skuMappings.variantId, like), ilike(skus.sku, like), ilike(skuMappings.warehouseItemCode, like)) as SQL);
  }
  if (options.needsVerification) conditions.push(eq(skuMappings.needsVerification, true));
  const where = and(...conditions);
  const [rows, [count]] = await Promise.all([
    db
      .select({ mapping: skuMappings, sku: skus.sku })
      .from(skuMappings)
      .innerJoin(skus, eq(skus.id, skuMappings.skuId))
      .where(where)
      .orderBy(asc(skuMappings.channelSku), asc(skuMappings.variantId), asc(skuMappings.id))
      .limit(options.limit ?? 100)
      .offset(options.offset ?? 0),
    db.select({ n: sql<number>`count(*)::int` }).from(skuMappings).innerJoin(skus, eq(skus.id, skuMappings.skuId)).where(where),
  ]);
  return { rows: rows.map((r) => ({ ...r.mapping, sku: r.sku })), total: Number(count?.n ?? 0) };
}

/** Every mapping of the account, in export order. */
export async function allMappings(db: DbOrTx, ctx: Tenant, channel = DEFAULT_CHANNEL): Promise<MappingRow[]> {
  const rows = await db
    .select({ mapping: skuMappings, sku: skus.sku })
    .from(skuMappings)
    .innerJoin(skus, eq(skus.id, skuMappings.skuId))
    .where(and(...tenantOf(ctx, channel)))
    .orderBy(asc(skuMappings.channelSku), asc(skuMappings.variantId), asc(skuMappings.id));
  return rows.map((r) => ({ ...r.mapping, sku: r.sku }));
}

export async function findMapping(db: DbOrTx, ctx: Tenant, id: string): Promise<SkuMapping | undefined> {
  const [row] = await db
    .select()
    .from(skuMappings)
    .where(and(eq(skuMappings.id, id), eq(skuMappings.accountId, ctx.accountId), eq(skuMappings.environment, ctx.environment)));
  return row;
}

/** A human confirmed the mapping still holds (after a product change in Shopify, or a periodic check). */
export async function verifyMapping(db: DbOrTx, ctx: Tenant, id: string): Promise<SkuMapping | undefined> {
  const [row] = await db
    .update(skuMappings)
    .set({ needsVerification: false, lastVerifiedAt: sql`now()` })
    .where(and(eq(skuMappings.id, id), eq(skuMappings.accountId, ctx.accountId), eq(skuMappings.environment, ctx.environment)))
    .returning();
  return row;
}

export async function setMappingActive(db: DbOrTx, ctx: Tenant, id: string, active: boolean): Promise<SkuMapping | undefined> {
  const [row] = await db
    .update(skuMappings)
    .set({ active })
    .where(and(eq(skuMappings.id, id), eq(skuMappings.accountId, ctx.accountId), eq(skuMappings.environment, ctx.environment)))
    .returning();
  return row;
}

export type ChannelVariant = { variantId: string; sku: string | null; inventoryItemId: string | null };

export type FlaggedMapping = MappingRow & { reason: string };

/** Why a product change breaks what this mapping assumes, or null when the mapping still holds. */
function changeAffecting(m: SkuMapping, byVariant: Map<string, ChannelVariant>, bySku: Map<string, ChannelVariant>): string | null {
  const v = m.variantId ? byVariant.get(m.variantId) : undefined;
  if (v) {
    if (m.channelSku && (v.sku ?? "") !== m.channelSku) return `the variant's SKU changed from '${m.channelSku}' to '${v.sku ?? ""}' in Shopify`;
    if (m.inventoryItemId && v.inventoryItemId && v.inventoryItemId !== m.inventoryItemId) return "the variant's inventory item changed in Shopify";
    return null;
  }
  const other = m.channelSku ? bySku.get(m.channelSku) : undefined;
  if (other && m.variantId && other.variantId !== m.variantId) return `SKU '${m.channelSku}' now belongs to another variant in Shopify`;
  return null;
}

/**
 * Marks the mappings that a product change in the channel breaks (a variant's SKU renamed, a SKU moved to another
 * variant, a new inventory item) as needing verification. Returns the rows newly flagged, each with the reason.
 */
export async function flagChangedVariants(db: DbOrTx, ctx: Tenant, variants: ChannelVariant[], channel = DEFAULT_CHANNEL): Promise<FlaggedMapping[]> {
  const byVariant = new Map(variants.map((v) => [v.variantId, v]));
  const bySku = new Map(variants.filter((v) => v.sku).map((v) => [v.sku as string, v]));
  const conditions: SQL[] = [];
  if (byVariant.size) conditions.push(inArray(skuMappings.variantId, [...byVariant.keys()]));
  if (bySku.size) conditions.push(inArray(skuMappings.channelSku, [...bySku.keys()]));
  if (!conditions.length) return [];
  const candidates = await db
    .select({ mapping: skuMappings, sku: skus.sku })
    .from(skuMappings)
    .innerJoin(skus, eq(skus.id, skuMappings.skuId))
    .where(and(...tenantOf(ctx, channel), eq(skuMappings.needsVerification, false), or(...conditions)));
  const affected = candidates
    .map((c) => ({ ...c.mapping, sku: c.sku, reason: changeAffecting(c.mapping, byVariant, bySku) }))
    .filter((c): c is FlaggedMapping => c.reason !== null);
  if (!affected.length) return [];
  await db
    .update(skuMappings)
    .set({ needsVerification: true })
    .where(inArray(skuMappings.id, affected.map((a) => a.id)));
  return affected.map((a) => ({ ...a, needsVerification: true }));
}

/**
 * Records the variant a line was matched through by channel SKU, on a mapping that did not know it yet, so a
 * later rename of that variant's SKU in Shopify is noticed. Never steals a variant another row already holds.
 */
export async function learnVariantIds(db: DbOrTx, ctx: Tenant, learned: { mappingId: string; variantId: string }[], channel = DEFAULT_CHANNEL): Promise<void> {
  for (const { mappingId, variantId } of learned) {
    await db
      .update(skuMappings)
      .set({ variantId })
      .where(
        and(
          eq(skuMappings.id, mappingId),
          sql`${skuMappings.variantId} is null`,
          sql`not exists (select 1 from ${skuMappings} other where other.account_id = ${ctx.accountId} and other.environment = ${ctx.environment}
                          and other.channel = ${channel} and other.variant_id = ${variantId})`,
        ),
      );
  }
}
