import { and, desc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as channelFailures from "@/app/(dashboard)/channel-failures/verbs";
import * as failedEvents from "@/app/(dashboard)/failed-events/verbs";
import * as routing from "@/app/(dashboard)/routing/verbs";
import * as shops from "@/app/(dashboard)/shops/verbs";
import * as skuMap from "@/app/(dashboard)/sku-map/verbs";
import * as statusMapping from "@/app/(dashboard)/status-mapping/verbs";
import * as webhooks from "@/app/(dashboard)/webhooks/verbs";
import { getDb, type Tx } from "@/db/client";
import { auditLog, operationalExceptions, shopifyWebhookDeliveries, webhookDeliveries, webhookEndpoints, type AuditLogRow } from "@/db/schema";
import { inTransaction, sqlState } from "@/db/transaction";
import { createSku, createTenant, unique, type TestTenant } from "@/e2e/support/factories";
import { connectedShop } from "@/e2e/support/shopify/intake";
import { upsertDashboardUser, type DashboardRole, type DashboardUserInfo } from "@/lib/auth/dashboard-users";
import { performAction, type ActionCall, type AuditedActionOptions } from "@/lib/dashboard/perform-action";
import { resolveDefinition } from "@/lib/exceptions/actions";
import { createOrder } from "@/lib/orders/create";
import { importSkuMapCsv, SKU_MAP_CSV_HEADER } from "@/lib/sku-map/csv";
import { processWarehouseEvent } from "@/lib/warehouse-events/process";
import { sendTestEvent } from "@/lib/webhooks/operations";
import { newId } from "@/lib/ids";
import { auditCsvLine, csvCell } from "./present";
import { listAudit, parseAuditQuery } from "./query";
import { cliActor, dashboardActor, recordAudit } from "./record";

function form(fields: [string, string][]): FormData {
  const data = new FormData();
  for (const [name, value] of fields) data.append(name, value);
  return data;
}

/** Runs an action as its page does: the definition the server action wraps, for a signed-in user, on a submitted form. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- one runner for actions of every schema
function act(def: { options: AuditedActionOptions<any, any>; verb: (call: ActionCall<any, Tx>) => Promise<any> }, user: DashboardUserInfo, data: FormData) {
  return performAction(def.options, def.verb, user, data);
}

const signedIn = (role: DashboardRole) => upsertDashboardUser(getDb(), { email: `${unique(role)}@hub.test`, password: "a long password", role });

/** The entity's audit rows, oldest first. */
async function rowsFor(entityType: string, entityId: string): Promise<AuditLogRow[]> {
  return getDb()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityType, entityType), eq(auditLog.entityId, entityId)))
    .orderBy(auditLog.occurredAt, auditLog.id);
}

async function rowsOfAccount(accountId: string): Promise<AuditLogRow[]> {
  return getDb().select().from(auditLog).where(eq(auditLog.accountId, accountId)).orderBy(auditLog.occurredAt, auditLog.id);
}

const scopeOf = (t: TestTenant): [string, string][] => [
  ["account", t.accountId],
  ["env", t.environment],
];

function ruleForm(t: TestTenant, fields: { id?: string; name: string; countries?: string; warehouse?: string }) {
  return form([
    ...scopeOf(t),
    ["id", fields.id ?? ""],
    ["name", fields.name],
    ["priority", "10"],
    ["active", "on"],
    ["countries", fields.countries ?? "AU"],
    ["states", ""],
    ["skus", ""],
    ["tags", ""],
    ["minOrderValue", ""],
    ["maxOrderValue", ""],
    ["warehouseIds", fields.warehouse ?? t.warehouses.syd],
  ]);
}

describe("the audit log records each kind of change, with who, what and before/after", () => {
  it("routing rules: created, edited, moved and deleted through the routing page's actions", async () => {
    const t = await createTenant();
    const ops = await signedIn("ops");
    const run = (def: Parameters<typeof act>[0], data: FormData) => act(def, ops, data);
    expect(await run(routing.saveRuleAction as Parameters<typeof act>[0], ruleForm(t, { name: "Oceania" }))).toMatchObject({ ok: true });
    expect(await run(routing.saveRuleAction as Parameters<typeof act>[0], ruleForm(t, { name: "Second" }))).toMatchObject({ ok: true });
    const [created, second] = await rowsOfAccount(t.accountId);
    expect(created).toMatchObject({ actor: ops.email, actorRole: "ops", source: "dashboard", entityType: "routing_rule", action: "created", before: null, environment: t.environment });
    expect(created.after).toMatchObject({ name: "Oceania", conditions: { countries: ["AU"] }, warehouse_ids: [t.warehouses.syd] });
    const ruleId = created.entityId;

    await run(routing.saveRuleAction as Parameters<typeof act>[0], ruleForm(t, { id: ruleId, name: "Oceania", countries: "AU NZ", warehouse: t.warehouses.mel }));
    await run(routing.moveRuleAction as Parameters<typeof act>[0], form([...scopeOf(t), ["id", second.entityId], ["direction", "up"]]));
    await run(routing.deleteRuleAction as Parameters<typeof act>[0], form([...scopeOf(t), ["id", ruleId]]));
    const history = await rowsFor("routing_rule", ruleId);
    expect(history.map((r) => r.action)).toEqual(["created", "updated", "deleted"]);
    expect([history[1].before, history[1].after]).toMatchObject([
      { conditions: { countries: ["AU"] }, warehouse_ids: [t.warehouses.syd] },
      { conditions: { countries: ["AU", "NZ"] }, warehouse_ids: [t.warehouses.mel] },
    ]);
    expect(history[2]).toMatchObject({ after: null, before: { name: "Oceania" } });
    const [moved] = await rowsFor("routing_rule", second.entityId).then((rows) => rows.filter((r) => r.action === "moved_up"));
    expect(moved).toMatchObject({ before: { order: ["Oceania", "Second"] }, after: { order: ["Second", "Oceania"] } });
  });

  it("warehouse availability: paused with a daily capacity", async () => {
    const t = await createTenant();
    const admin = await signedIn("admin");
    const def = routing.saveWarehouseAction;
    const result = await performAction(def.options, def.verb, admin, form([["id", t.warehouses.syd], ["env", t.environment], ["paused", "on"], ["dailyCapacity", "120"]]));
    expect(result).toMatchObject({ ok: true });
    const [row] = await rowsFor("warehouse", t.warehouses.syd);
    expect(row).toMatchObject({ actor: admin.email, actorRole: "admin", action: "availability_changed", before: { paused: false, daily_capacity: null }, after: { paused: true, daily_capacity: 120 } });
  });

  it("SKU map rows: added, then verified, from the SKU map page", async () => {
    const t = await createTenant();
    await createSku(t, "TEE-RED-M");
    const ops = await signedIn("ops");
    const save = skuMap.saveSkuMappingAction;
    const added = await performAction(save.options, save.verb, ops, form([...scopeOf(t), ["id", ""], ["channelSku", "SHOP-RED"], ["variantId", ""], ["accountSku", "TEE-RED-M"], ["warehouseItemCode", ""], ["active", "on"]]));
    expect(added).toMatchObject({ ok: true });
    const [created] = await rowsOfAccount(t.accountId);
    expect(created).toMatchObject({ entityType: "sku_mapping", action: "created", actor: ops.email, before: null, after: { channel_sku: "SHOP-RED", active: true } });
    const row = skuMap.mappingRowAction;
    await performAction(row.options, row.verb, ops, form([...scopeOf(t), ["id", created.entityId], ["op", "deactivate"]]));
    const [, deactivated] = await rowsFor("sku_mapping", created.entityId);
    expect(deactivated).toMatchObject({ action: "deactivated", before: { active: true }, after: { active: false } });
  });

  it("SKU map CSV imports: one row per import with its counts; a refused file records nothing", async () => {
    const t = await createTenant();
    await createSku(t, "TEE-RED-M");
    const ops = dashboardActor({ email: "importer@hub.test", role: "ops" });
    const refused = await importSkuMapCsv(getDb(), t.ctx, ops, `${SKU_MAP_CSV_HEADER}\nSHOP-RED,,NO-SUCH-SKU,,\n`);
    expect(refused.ok).toBe(false);
    expect(await rowsOfAccount(t.accountId)).toEqual([]);
    const imported = await importSkuMapCsv(getDb(), t.ctx, cliActor("ana"), `${SKU_MAP_CSV_HEADER}\nSHOP-RED,,TEE-RED-M,,\nSHOP-RED-2,,TEE-RED-M,,\n`);
    expect(imported).toMatchObject({ ok: true, created: 2 });
    const rows = await rowsOfAccount(t.accountId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor: "cli:ana", source: "cli", actorRole: null, entityType: "sku_map_import", action: "imported", after: { total: 2, created: 2, updated: 0, created_keys: ["SHOP-RED", "SHOP-RED-2"] } });
  });

  it("status mappings: an edit through the status-mapping action, read back as the page's history", async () => {
    const admin = await signedIn("admin");
    const source = unique("carrier").replaceAll("_", "").toLowerCase();
    const def = statusMapping.saveMappingAction;
    const fields = (canonical: string, id = ""): FormData =>
      form([["id", id], ["source", source], ["rawStatus", "ON_TRUCK"], ["appliesTo", "shipment"], ["canonicalStatus", canonical], ["customerMessage", "On its way."], ["ownerSystem", ""]]);
    const created = await performAction(def.options, def.verb, admin, fields("in_transit"));
    if (!created.ok) throw new Error(created.error);
    await performAction(def.options, def.verb, admin, fields("out_for_delivery", created.data.id));
    const rows = await rowsFor("status_mapping", created.data.id);
    expect(rows.map((r) => [r.action, r.actor, (r.before as { canonical_status?: string } | null)?.canonical_status ?? null, (r.after as { canonical_status: string }).canonical_status])).toEqual([
      ["created", admin.email, null, "in_transit"],
      ["updated", admin.email, "in_transit", "out_for_delivery"],
    ]);
  });

  it("shop connections: connected from the shops page, without its secrets", async () => {
    const t = await createTenant();
    const ops = await signedIn("ops");
    const shop = `${unique("audit").replaceAll("_", "-")}.myshopify.com`;
    const def = shops.saveShopAction;
    const fields = form([["shop", shop], ["account", unique("Audit shop account")], ["env", t.environment], ["secret", "whsec_super_secret"], ["token", "shpat_super_secret"], ["adminUrl", ""], ["inventorySyncIntervalSeconds", ""], ["active", "on"]]);
    const result = await performAction(def.options, def.verb, ops, fields);
    expect(result).toMatchObject({ ok: true });
    const [row] = await getDb().select().from(auditLog).where(and(eq(auditLog.entityType, "shop"), sql`${auditLog.after}->>'shop_domain' = ${shop}`));
    expect(row).toMatchObject({ action: "connected", actor: ops.email, before: null, after: { shop_domain: shop, active: true } });
    expect(JSON.stringify(row)).not.toContain("super_secret");
  });

  it("webhook endpoints and deliveries: a dead letter replayed, the endpoint re-enabled", async () => {
    const t = await createTenant();
    const ops = await signedIn("ops");
    const endpointId = newId("whe");
    await getDb().insert(webhookEndpoints).values({ id: endpointId, accountId: t.accountId, environment: t.environment, url: "https://example.test/hook", events: ["*"], secretCiphertext: "x" });
    await sendTestEvent(getDb(), endpointId);
    const [delivery] = await getDb().update(webhookDeliveries).set({ status: "dead", deadAt: sql`now()` }).where(eq(webhookDeliveries.endpointId, endpointId)).returning();
    const replay = webhooks.replayDeliveryAction;
    expect(await performAction(replay.options, replay.verb, ops, form([["deliveryId", delivery.id]]))).toMatchObject({ ok: true });
    const [replayed] = await rowsFor("webhook_delivery", delivery.id);
    expect(replayed).toMatchObject({ action: "replayed", accountId: t.accountId, before: { status: "dead", endpoint_id: endpointId }, after: { status: "pending" } });

    await getDb().update(webhookEndpoints).set({ status: "disabled", disabledReason: "410 Gone" }).where(eq(webhookEndpoints.id, endpointId));
    const reEnable = webhooks.reEnableAction;
    await performAction(reEnable.options, reEnable.verb, ops, form([["endpointId", endpointId]]));
    const [enabled] = await rowsFor("webhook_endpoint", endpointId);
    expect(enabled).toMatchObject({ action: "re_enabled", before: { status: "disabled", disabled_reason: "410 Gone" }, after: { status: "active", disabled_reason: null } });
  });

  it("Shopify webhook deliveries: a dead one retried from the inbox", async () => {
    const shop = await connectedShop();
    const ops = await signedIn("ops");
    const id = newId("swd");
    await getDb().insert(shopifyWebhookDeliveries).values({
      id,
      accountId: shop.tenant.accountId,
      environment: shop.tenant.environment,
      connectionId: shop.connectionId,
      shopDomain: shop.shop,
      dedupKey: `orders/create:webhook:${id}`,
      topic: "orders/create",
      rawBody: "{}",
      headers: {},
      state: "dead",
      attempts: 5,
    });
    const def = shops.retryDeliveryAction;
    expect(await performAction(def.options, def.verb, ops, form([["id", id]]))).toMatchObject({ ok: true });
    const [row] = await rowsFor("shopify_delivery", id);
    expect(row).toMatchObject({ action: "retried", actor: ops.email, before: { state: "dead", attempts: 5 }, after: { state: "pending", attempts: 0 } });
  });

  it("warehouse events: a failed event replayed, recorded even when it still fails", async () => {
    const t = await createTenant();
    const ops = await signedIn("ops");
    const failed = await processWarehouseEvent(getDb(), { accountId: t.accountId, environment: t.environment, actor: "key_test" }, { event_id: unique("evt"), source: unique("wms"), occurred_at: new Date().toISOString(), status: "NOT_MAPPED" });
    if (failed.duplicate) throw new Error("unreachable");
    const def = failedEvents.retryEventAction;
    const result = await performAction(def.options, def.verb, ops, form([["id", failed.id]]));
    expect(result).toMatchObject({ ok: true, data: { failed: true, state: "failed" } });
    const [row] = await rowsFor("warehouse_event", failed.id);
    expect(row).toMatchObject({ action: "replayed", before: { state: "failed", attempts: 1 }, after: { state: "failed", attempts: 2 } });
  });

  it("exception actions: an exception resolved from the triage queue", async () => {
    const t = await createTenant();
    await createSku(t, "NOSTOCK");
    const support = await signedIn("support");
    const { order } = await createOrder(getDb(), { ...t.ctx, source: "api" }, {
      order_number: unique("SO"),
      reference: unique("R"),
      ship_to: { name: "Jane Doe", address1: "1 Main St", city: "Sydney", country: "AU" },
      items: [{ sku: "NOSTOCK", quantity: 1 }],
    });
    const [exception] = await getDb().select().from(operationalExceptions).where(and(eq(operationalExceptions.orderId, order.id), eq(operationalExceptions.status, "open")));
    const result = await performAction(resolveDefinition, resolveDefinition.verb, support, form([["ids", exception.id], ["note", "Stock arrived."]]));
    expect(result).toMatchObject({ ok: true });
    const [row] = await rowsFor("operational_exception", exception.id);
    expect(row).toMatchObject({ actor: support.email, actorRole: "support", action: "resolved", after: { status: "resolved", note: "Stock arrived." } });
  });

  it("a change that fails or is refused leaves no audit row", async () => {
    const t = await createTenant();
    const ops = await signedIn("ops");
    // The routing domain refuses a warehouse of no environment: nothing is saved, nothing recorded.
    const save = routing.saveRuleAction;
    const refused = await performAction(save.options, save.verb, ops, ruleForm(t, { name: "Nowhere", warehouse: "wh_no_such_warehouse" }));
    expect(refused.ok).toBe(false);
    const push = channelFailures.retryPushAction;
    expect(await performAction(push.options, push.verb, ops, form([["id", "sip_00000000000000000000000000"]]))).toMatchObject({ ok: false });
    expect(await rowsOfAccount(t.accountId)).toEqual([]);
    expect(await rowsFor("shopify_push", "sip_00000000000000000000000000")).toEqual([]);
    // A transaction that records and then fails takes its record with it.
    await expect(
      inTransaction(getDb(), async (tx) => {
        await recordAudit(tx, { ...cliActor("x"), entityType: "routing_rule", entityId: "rr_rolled_back", action: "created", accountId: t.accountId });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await rowsFor("routing_rule", "rr_rolled_back")).toEqual([]);
  });
});

describe("audit rows cannot be changed", () => {
  it("refuses UPDATE, DELETE (even of no row) and TRUNCATE in the database itself", async () => {
    const db = getDb();
    await inTransaction(db, (tx) => recordAudit(tx, { ...cliActor("x"), entityType: "routing_rule", entityId: "rr_kept", action: "created", after: { name: "kept" } }));
    for (const statement of [
      sql`update audit_log set actor = 'someone else' where entity_id = 'rr_kept'`,
      sql`delete from audit_log where entity_id = 'rr_kept'`,
      sql`delete from audit_log where entity_id = 'no such row'`,
      sql`truncate audit_log`,
    ]) {
      const error = await db.execute(statement).then(
        () => null,
        (e: unknown) => e,
      );
      expect(sqlState(error)).toBe("55000");
    }
    expect(await rowsFor("routing_rule", "rr_kept")).toMatchObject([{ actor: "cli:x", after: { name: "kept" } }]);
  });
});

describe("reading the audit log", () => {
  it("filters by actor, entity and action, pages by keyset without repeats, and bounds days in the dashboard's zone", async () => {
    const actor = cliActor(unique("pager"));
    for (let i = 0; i < 5; i++) await inTransaction(getDb(), (tx) => recordAudit(tx, { ...actor, entityType: "routing_rule", entityId: `rr_page_${i}`, action: i % 2 ? "updated" : "created" }));
    const seen: string[] = [];
    let cursor;
    for (let page = 0; page < 5; page++) {
      const result = await listAudit(getDb(), { actor: actor.actor }, { cursor, limit: 2, timeZone: "Australia/Sydney" });
      seen.push(...result.rows.map((r) => r.entityId));
      if (!result.next) break;
      cursor = result.next;
    }
    expect(seen).toEqual(["rr_page_4", "rr_page_3", "rr_page_2", "rr_page_1", "rr_page_0"]);
    const updated = await listAudit(getDb(), { actor: actor.actor, action: "updated", entityType: "routing_rule" }, { timeZone: "UTC" });
    expect(updated.rows.map((r) => r.entityId)).toEqual(["rr_page_3", "rr_page_1"]);
    const [newest] = await getDb().select().from(auditLog).where(eq(auditLog.actor, actor.actor)).orderBy(desc(auditLog.occurredAt)).limit(1);
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Australia/Sydney" }).format(newest.occurredAt);
    expect((await listAudit(getDb(), { actor: actor.actor, from: today, to: today }, { timeZone: "Australia/Sydney" })).rows).toHaveLength(5);
    const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    expect((await listAudit(getDb(), { actor: actor.actor, from: tomorrow }, { timeZone: "Australia/Sydney" })).rows).toHaveLength(0);
  });

  it("says which date filter is impossible instead of guessing", () => {
    expect(parseAuditQuery({ from: "2026-02-30" }).errors).toEqual({ from: "2026-02-30 is not a day of the calendar." });
    expect(parseAuditQuery({ to: "yesterday" }).errors).toEqual({ to: "A date such as 2026-12-07." });
    expect(parseAuditQuery({ from: "2026-12-08", to: "2026-12-01" }).errors).toEqual({ to: "The end date is before the start date." });
    expect(parseAuditQuery({ after: "garbage" }).errors.after).toMatch(/out of date/);
    expect(parseAuditQuery({ actor: "a@b.test", entity: "shop", action: "connected", from: "2026-12-01", to: "2026-12-07" })).toEqual({
      filter: { actor: "a@b.test", entityType: "shop", action: "connected", from: "2026-12-01", to: "2026-12-07" },
      cursor: undefined,
      errors: {},
    });
  });

  it("writes CSV cells a spreadsheet never runs as formulas", () => {
    expect(["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "\t=1", "plain", "a,b", 'say "hi"'].map(csvCell)).toEqual([
      `"'=HYPERLINK(""x"")"`,
      "'+1",
      "'-2",
      "'@SUM(A1)",
      "'\t=1",
      "plain",
      '"a,b"',
      '"say ""hi"""',
    ]);
    const line = auditCsvLine({
      id: "aud_1",
      occurredAt: new Date("2026-12-07T01:02:03.000Z"),
      actor: "=cmd|' /C calc'!A0",
      actorRole: "ops",
      source: "dashboard",
      entityType: "routing_rule",
      entityId: "rr_1",
      action: "updated",
      before: { name: "-old" },
      after: null,
      accountId: null,
      environment: null,
    });
    expect(line).toBe(`2026-12-07T01:02:03.000Z,'=cmd|' /C calc'!A0,ops,dashboard,routing_rule,rr_1,updated,,,"{""name"":""-old""}",\r\n`);
  });
});
