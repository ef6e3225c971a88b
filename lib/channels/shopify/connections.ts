import { and, asc, eq, inArray, or } from "drizzle-orm";
import { inTransaction } from "@/db/transaction";
import type { Db, DbOrTx } from "@/db/client";
import { accounts, shopConnections, shopLocations, warehouses, type ShopConnection, type Environment } from "@/db/schema";
import { ensureAccount } from "@/lib/auth/api-keys";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secrets";
import { ValidationError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { toGid } from "./gid";

// Pure id helpers live apart so browser code (forms) can use them; re-exported for server callers.
export { numericIdOf, toGid } from "./gid";

/** The Admin API version the hub speaks, in one place: the default endpoint and the push-back use it. */
export const SHOPIFY_ADMIN_API_VERSION = "2026-10";

export const DEFAULT_INVENTORY_SYNC_INTERVAL_SECONDS = 900;

export function defaultAdminUrl(shopDomain: string): string {
  return `https://${shopDomain}/admin/api/${SHOPIFY_ADMIN_API_VERSION}/graphql.json`;
}

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/** "https://Acme.myshopify.com/" → "acme.myshopify.com"; what X-Shopify-Shop-Domain carries. */
export function normalizeShopDomain(input: string): string {
  const domain = input
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, "")
    .replace(/\/+$/, "");
  if (!HOSTNAME.test(domain)) throw new ValidationError(`'${input}' is not a shop domain (e.g. acme.myshopify.com).`, "shop");
  return domain;
}

/** Binds each sealed secret to its row and purpose: a ciphertext copied to another shop does not open. */
function secretContext(connectionId: string, purpose: "webhook_secret" | "admin_token"): string {
  return `shop_connections:${connectionId}:${purpose}`;
}

export type LocationMapping = { location: string; warehouse: string };

export type ConnectShopInput = {
  shopDomain: string;
  environment: Environment;
  /** Either an existing account id, or a name (created when missing). */
  accountId?: string;
  accountName?: string;
  /** Required for a new connection; omitted on update keeps the stored one. */
  webhookSecret?: string;
  adminToken?: string;
  adminUrl?: string | null;
  inventorySyncIntervalSeconds?: number | null;
  /** Replaces the connection's location map when given. */
  locations?: LocationMapping[];
  active?: boolean;
};

export type ConnectShopResult = { connection: ShopConnection; created: boolean; locations: { locationGid: string; warehouseId: string }[] };

function checkAdminUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValidationError(`'${url}' is not a URL.`, "admin_url");
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new ValidationError("The Admin API URL must be http(s).", "admin_url");
  return parsed.toString();
}

/** Warehouse ids or codes of the environment → warehouse ids, refusing unknown ones by name. */
async function resolveWarehouses(db: DbOrTx, environment: Environment, refs: string[]): Promise<Map<string, string>> {
  if (!refs.length) return new Map();
  const rows = await db
    .select({ id: warehouses.id, code: warehouses.code })
    .from(warehouses)
    .where(and(eq(warehouses.environment, environment), or(inArray(warehouses.id, refs), inArray(warehouses.code, refs))));
  const out = new Map<string, string>();
  for (const ref of refs) {
    const hit = rows.find((r) => r.id === ref) ?? rows.find((r) => r.code === ref);
    if (!hit) throw new ValidationError(`Warehouse '${ref}' does not exist in ${environment}.`, "location");
    out.set(ref, hit.id);
  }
  return out;
}

/**
 * Creates or updates the connection of a shop (the shop domain is the key: connecting again updates it) and,
 * when locations are given, replaces its location ↔ warehouse map. Secrets are sealed before they are stored.
 */
export async function connectShop(db: Db, input: ConnectShopInput): Promise<ConnectShopResult> {
  const shopDomain = normalizeShopDomain(input.shopDomain);
  const adminUrl = input.adminUrl ? checkAdminUrl(input.adminUrl) : null;
  const interval = input.inventorySyncIntervalSeconds ?? null;
  if (interval !== null && (!Number.isInteger(interval) || interval < 60 || interval > 86_400)) {
    throw new ValidationError("The inventory sync interval must be a whole number of seconds between 60 and 86400.", "inventory_sync_interval_seconds");
  }
  const locations = (input.locations ?? []).map((l) => {
    const gid = toGid("Location", l.location);
    if (!gid) throw new ValidationError(`'${l.location}' is not a Shopify location id (a number or gid://shopify/Location/…).`, "location");
    return { gid, warehouse: l.warehouse.trim() };
  });
  const seen = new Set<string>();
  for (const l of locations) {
    if (seen.has(l.gid)) throw new ValidationError(`Location ${l.gid} is mapped twice.`, "location");
    seen.add(l.gid);
  }
  for (const field of ["webhookSecret", "adminToken"] as const) {
    const value = input[field];
    if (value !== undefined && value.trim() === "") throw new ValidationError("Must not be blank.", field === "webhookSecret" ? "secret" : "token");
  }

  return inTransaction(db, async (tx) => {
    const accountId = input.accountId ?? (input.accountName ? await ensureAccount(tx, input.accountName.trim()) : undefined);
    if (!accountId) throw new ValidationError("Name the account the shop belongs to.", "account");
    if (input.accountId) {
      const [account] = await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, input.accountId));
      if (!account) throw new ValidationError("That account does not exist.", "account");
    }
    const warehouseIds = await resolveWarehouses(
      tx,
      input.environment,
      locations.map((l) => l.warehouse),
    );
    const mapped = locations.map((l) => ({ locationGid: l.gid, warehouseId: warehouseIds.get(l.warehouse)! }));
    if (new Set(mapped.map((m) => m.warehouseId)).size !== mapped.length) {
      throw new ValidationError("Each warehouse can stand for one Shopify location only.", "location");
    }

    const [existing] = await tx.select().from(shopConnections).where(eq(shopConnections.shopDomain, shopDomain)).for("update");
    let connection: ShopConnection;
    const id = existing?.id ?? newId("shop");
    if (!existing) {
      if (!input.webhookSecret) throw new ValidationError("The webhook signing secret is required.", "secret");
      if (!input.adminToken) throw new ValidationError("The Admin API access token is required.", "token");
      [connection] = await tx
        .insert(shopConnections)
        .values({
          id,
          accountId,
          environment: input.environment,
          shopDomain,
          webhookSecretEncrypted: encryptSecret(input.webhookSecret, secretContext(id, "webhook_secret")),
          adminTokenEncrypted: encryptSecret(input.adminToken, secretContext(id, "admin_token")),
          adminUrl: adminUrl ?? defaultAdminUrl(shopDomain),
          inventorySyncIntervalSeconds: interval ?? DEFAULT_INVENTORY_SYNC_INTERVAL_SECONDS,
          active: input.active ?? true,
        })
        .returning();
    } else {
      [connection] = await tx
        .update(shopConnections)
        .set({
          accountId,
          environment: input.environment,
          ...(input.webhookSecret ? { webhookSecretEncrypted: encryptSecret(input.webhookSecret, secretContext(id, "webhook_secret")) } : {}),
          ...(input.adminToken ? { adminTokenEncrypted: encryptSecret(input.adminToken, secretContext(id, "admin_token")) } : {}),
          // Connecting again without --admin-url resets a default endpoint, but keeps one chosen on purpose.
          adminUrl: adminUrl ?? (existing.adminUrl === defaultAdminUrl(shopDomain) ? defaultAdminUrl(shopDomain) : existing.adminUrl),
          ...(interval !== null ? { inventorySyncIntervalSeconds: interval } : {}),
          ...(input.active !== undefined ? { active: input.active } : {}),
        })
        .where(eq(shopConnections.id, existing.id))
        .returning();
    }

    if (input.locations) {
      await tx.delete(shopLocations).where(eq(shopLocations.connectionId, connection.id));
      if (mapped.length) {
        await tx.insert(shopLocations).values(mapped.map((m) => ({ id: newId("sloc"), connectionId: connection.id, ...m })));
      }
    }
    const current = await tx
      .select({ locationGid: shopLocations.locationGid, warehouseId: shopLocations.warehouseId })
      .from(shopLocations)
      .where(eq(shopLocations.connectionId, connection.id))
      .orderBy(asc(shopLocations.locationGid));
    return { connection, created: !existing, locations: current };
  });
}

/** The connection a webhook names, with its signing secret opened; undefined for a shop nobody connected. */
export async function findConnectionForWebhook(db: DbOrTx, shopDomain: string): Promise<{ connection: ShopConnection; webhookSecret: string } | undefined> {
  const [connection] = await db.select().from(shopConnections).where(eq(shopConnections.shopDomain, shopDomain.trim().toLowerCase()));
  if (!connection || !connection.active) return undefined;
  return { connection, webhookSecret: decryptSecret(connection.webhookSecretEncrypted, secretContext(connection.id, "webhook_secret")) };
}

export type ShopCredentials = {
  connection: ShopConnection;
  adminUrl: string;
  adminToken: string;
  /** Shopify location gid ↔ hub warehouse id. */
  locations: { locationGid: string; warehouseId: string }[];
};

/** What the push-back needs to call a shop: its endpoint, its opened token and its location map. */
export async function loadShopCredentials(db: DbOrTx, connectionId: string): Promise<ShopCredentials | undefined> {
  const [connection] = await db.select().from(shopConnections).where(eq(shopConnections.id, connectionId));
  if (!connection) return undefined;
  const locations = await db
    .select({ locationGid: shopLocations.locationGid, warehouseId: shopLocations.warehouseId })
    .from(shopLocations)
    .where(eq(shopLocations.connectionId, connection.id))
    .orderBy(asc(shopLocations.locationGid));
  return { connection, adminUrl: connection.adminUrl, adminToken: decryptSecret(connection.adminTokenEncrypted, secretContext(connection.id, "admin_token")), locations };
}

export type ConnectionSummary = {
  id: string;
  shopDomain: string;
  accountId: string;
  accountName: string;
  environment: Environment;
  adminUrl: string;
  inventorySyncIntervalSeconds: number;
  active: boolean;
  updatedAt: Date;
  locations: { locationGid: string; warehouseId: string; warehouseName: string }[];
};

/** Every connection, for the ops page (the 3PL's staff see all accounts). Secrets never leave this module. */
export async function listConnections(db: DbOrTx): Promise<ConnectionSummary[]> {
  const rows = await db
    .select({
      id: shopConnections.id,
      shopDomain: shopConnections.shopDomain,
      accountId: shopConnections.accountId,
      accountName: accounts.name,
      environment: shopConnections.environment,
      adminUrl: shopConnections.adminUrl,
      inventorySyncIntervalSeconds: shopConnections.inventorySyncIntervalSeconds,
      active: shopConnections.active,
      updatedAt: shopConnections.updatedAt,
    })
    .from(shopConnections)
    .innerJoin(accounts, eq(accounts.id, shopConnections.accountId))
    .orderBy(asc(shopConnections.shopDomain));
  if (!rows.length) return [];
  const locations = await db
    .select({ connectionId: shopLocations.connectionId, locationGid: shopLocations.locationGid, warehouseId: shopLocations.warehouseId, warehouseName: warehouses.name })
    .from(shopLocations)
    .innerJoin(warehouses, eq(warehouses.id, shopLocations.warehouseId))
    .where(
      inArray(
        shopLocations.connectionId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(shopLocations.locationGid));
  return rows.map((r) => ({
    ...r,
    locations: locations.filter((l) => l.connectionId === r.id).map(({ locationGid, warehouseId, warehouseName }) => ({ locationGid, warehouseId, warehouseName })),
  }));
}
