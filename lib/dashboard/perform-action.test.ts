import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { getDb } from "@/db/client";
import { auditLog, warehouses } from "@/db/schema";
import { createTenant, unique, type TestTenant } from "@/e2e/support/factories";
import { dashboardActor } from "@/lib/audit/record";
import { upsertDashboardUser, type DashboardRole } from "@/lib/auth/dashboard-users";
import { connectShop } from "@/lib/channels/shopify/connections";
import { createRoutingRule, deleteRoutingRule, listRoutingRules } from "@/lib/routing/rules";
import { setWarehouseAvailability } from "@/lib/routing/warehouses";
import { saveStatusMapping } from "@/lib/status-mapping/mappings";
import { formField, formValues, STALE_PAGE } from "./form-data";
import { ActionRefusal, performAction } from "./perform-action";

const OPS: readonly DashboardRole[] = ["ops", "admin"];

function form(fields: [string, string][]): FormData {
  const data = new FormData();
  for (const [name, value] of fields) data.append(name, value);
  return data;
}

const signedIn = (role: DashboardRole) => upsertDashboardUser(getDb(), { email: `${unique(role)}@hub.test`, password: "a long password", role });

/** An action of the shape the dashboard uses: a rule named in the form, for the test's account. */
const ruleSchema = z.object({
  name: z.string().trim().min(1, "Name the rule."),
  priority: z.coerce.number().int("A whole number."),
  warehouseIds: formField.repeated(),
  active: formField.checkbox(),
});

function saveRule(t: TestTenant) {
  return async ({ input, db }: { input: z.output<typeof ruleSchema>; db: Parameters<typeof createRoutingRule>[0] }) => {
    const rule = await createRoutingRule(db, t.ctx, { name: input.name, priority: input.priority, active: input.active, warehouse_ids: input.warehouseIds });
    return { id: rule.id, message: `Created rule "${rule.name}".` };
  };
}

const ruleForm = (t: TestTenant, name = "Oceania") =>
  form([
    ["name", name],
    ["priority", "10"],
    ["warehouseIds", t.warehouses.syd],
    ["warehouseIds", t.warehouses.mel],
    ["active", "on"],
  ]);

afterEach(() => vi.restoreAllMocks());

describe("formValues", () => {
  it("keeps every value of a repeated name in order, and leaves unchecked boxes out", () => {
    expect(formValues(form([["location", "1"], ["warehouse", "a"], ["location", "2"], ["warehouse", "b"], ["note", "x"]]))).toEqual({ location: ["1", "2"], warehouse: ["a", "b"], note: "x" });
    const schema = z.object({ rows: formField.repeated(), active: formField.checkbox(), paused: formField.checkbox(), note: formField.text() });
    expect(schema.parse(formValues(form([["rows", "only"], ["active", "on"]])))).toEqual({ rows: ["only"], active: true, paused: false, note: "" });
    expect(schema.parse(formValues(form([])))).toEqual({ rows: [], active: false, paused: false, note: "" });
  });
});

describe("performAction", () => {
  it("refuses a role outside the action's roles with a message, and runs nothing", async () => {
    const t = await createTenant();
    const result = await performAction({ roles: OPS, schema: ruleSchema }, saveRule(t), await signedIn("support"), ruleForm(t));
    expect(result).toEqual({ ok: false, error: "Only ops or admin users can do this; you are signed in as support.", fieldErrors: {} });
    expect(await listRoutingRules(getDb(), t.ctx)).toEqual([]);
  });

  it("refuses a signed-out caller", async () => {
    const t = await createTenant();
    const result = await performAction({ roles: OPS, schema: ruleSchema }, saveRule(t), null, ruleForm(t));
    expect(result).toMatchObject({ ok: false, error: "You are signed out. Sign in again, then retry." });
    expect(await listRoutingRules(getDb(), t.ctx)).toEqual([]);
  });

  it("refuses a call whose argument is not a form (a hand-made request to the action), and runs nothing", async () => {
    const t = await createTenant();
    for (const notAForm of [undefined, [], { name: "x" }]) {
      const result = await performAction({ roles: OPS, schema: ruleSchema }, saveRule(t), await signedIn("ops"), notAForm as unknown as FormData);
      expect(result).toEqual({ ok: false, error: STALE_PAGE, fieldErrors: {} });
    }
    expect(await listRoutingRules(getDb(), t.ctx)).toEqual([]);
  });

  it("answers the schema's issues keyed by form field, first message each, and runs nothing", async () => {
    const t = await createTenant();
    const bad = form([["name", "  "], ["priority", "1.5"]]);
    const result = await performAction({ roles: OPS, schema: ruleSchema }, saveRule(t), await signedIn("ops"), bad);
    expect(result).toEqual({ ok: false, error: "Fix the highlighted fields.", fieldErrors: { name: "Name the rule.", priority: "A whole number." } });
    expect(await listRoutingRules(getDb(), t.ctx)).toEqual([]);
  });

  it("says a stale hidden id in the form's message (no input shows it), and a field's own check on that field", async () => {
    const schema = z.object({
      id: formField.id(/^rr_[a-z0-9]{10,64}$/),
      lines: formField.text().transform((text, ctx) => {
        if (!text.trim()) ctx.addIssue({ code: "custom", message: "Give at least one line." });
        return text.split("\n");
      }),
    });
    const result = await performAction({ roles: OPS, schema }, async () => "never", await signedIn("ops"), form([["id", "rr_<script>"], ["lines", " "]]));
    expect(result).toEqual({ ok: false, error: STALE_PAGE, fieldErrors: { lines: "Give at least one line." } });
  });

  it("runs the verb for an allowed role with the parsed input (repeated fields in order, checkboxes as booleans)", async () => {
    const t = await createTenant();
    const result = await performAction({ roles: OPS, schema: ruleSchema }, saveRule(t), await signedIn("admin"), ruleForm(t));
    const [rule] = await listRoutingRules(getDb(), t.ctx);
    expect(result).toEqual({ ok: true, data: { id: rule.id, message: 'Created rule "Oceania".' } });
    expect(rule).toMatchObject({ name: "Oceania", priority: 10, active: true, warehouse_ids: [t.warehouses.syd, t.warehouses.mel] });
  });

  it("shows a domain error that names a field on that form field, through the action's field map", async () => {
    const t = await createTenant();
    const other = await createTenant({ environment: "live" });
    const wrongWarehouse = form([["name", "Live DC"], ["priority", "10"], ["warehouseIds", other.warehouses.syd]]);
    const options = { roles: OPS, schema: ruleSchema, formField: (field: string) => (field.startsWith("warehouse_ids") ? "warehouseIds" : field) };
    const result = await performAction(options, saveRule(t), await signedIn("ops"), wrongWarehouse);
    expect(result).toEqual({ ok: false, error: "Fix the highlighted fields.", fieldErrors: { warehouseIds: "warehouse_ids[0] is not a known warehouse." } });
    expect(await listRoutingRules(getDb(), t.ctx)).toEqual([]);
  });

  it("shows a domain error without a field, or naming one the form does not have, as the form's message", async () => {
    const t = await createTenant();
    const ops = await signedIn("ops");
    const gone = await performAction({ roles: OPS, schema: z.object({}) }, ({ db }) => deleteRoutingRule(db, t.ctx, "rr_gone"), ops, form([]));
    expect(gone).toEqual({ ok: false, error: "Routing rule 'rr_gone' was not found.", fieldErrors: {} });

    const other = await createTenant({ environment: "live" });
    const wrongWarehouse = form([["name", "Live DC"], ["priority", "10"], ["warehouseIds", other.warehouses.syd]]);
    const noSuchInput = await performAction({ roles: OPS, schema: ruleSchema, formField: () => undefined }, saveRule(t), ops, wrongWarehouse);
    expect(noSuchInput).toEqual({ ok: false, error: "warehouse_ids[0] is not a known warehouse.", fieldErrors: {} });
  });

  it("maps the domain's other refusals: field-less errors as the message, per-field errors as they come", async () => {
    const ops = await signedIn("ops");
    const none = z.object({});
    const refusal = await performAction({ roles: OPS, schema: none }, async () => {
      throw new ActionRefusal("It is no longer a dead letter (already retried?).");
    }, ops, form([]));
    expect(refusal).toEqual({ ok: false, error: "It is no longer a dead letter (already retried?).", fieldErrors: {} });

    const labelAsShipped = await performAction({ roles: OPS, schema: none }, ({ user, db }) =>
      saveStatusMapping(db, dashboardActor(user), { source: unique("carrier"), rawStatus: "LABEL_CREATED", appliesTo: "shipment", canonicalStatus: "in_transit", customerMessage: "On its way.", ownerSystem: "", labelOnly: false }),
    ops, form([]));
    expect(labelAsShipped).toMatchObject({ ok: false, error: "Fix the highlighted fields.", fieldErrors: { canonicalStatus: expect.stringContaining("only means a label exists") } });

    const badInterval = await performAction({ roles: OPS, schema: none, formField: (field) => (field === "inventory_sync_interval_seconds" ? "inventorySyncIntervalSeconds" : field) }, ({ db }) =>
      connectShop(db, { shopDomain: `${unique("shop")}.myshopify.com`, accountName: unique("acct"), environment: "sandbox", inventorySyncIntervalSeconds: 5 }),
    ops, form([]));
    expect(badInterval).toMatchObject({ ok: false, fieldErrors: { inventorySyncIntervalSeconds: expect.stringContaining("between 60 and 86400") } });

    const t = await createTenant();
    const badCapacity = await performAction({ roles: OPS, schema: none }, ({ db }) =>
      setWarehouseAvailability(db, t.environment, t.warehouses.syd, { paused: true, dailyCapacity: 2.5 }),
    ops, form([]));
    expect(badCapacity).toEqual({ ok: false, error: "Fix the highlighted fields.", fieldErrors: { dailyCapacity: expect.stringContaining("whole number") } });
    const [syd] = await getDb().select().from(warehouses).where(eq(warehouses.id, t.warehouses.syd));
    expect(syd).toMatchObject({ paused: false, dailyCapacity: null });
  });

  it("answers an unexpected error generically with a reference it logs, never with the error's own message", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const result = await performAction({ roles: OPS, schema: z.object({}) }, async () => {
      throw new Error("connection to 10.0.0.7 refused");
    }, await signedIn("ops"), form([]));
    expect(result.ok).toBe(false);
    const error = result.ok ? "" : result.error;
    expect(error).not.toContain("10.0.0.7");
    const reference = /reference (err_[a-z0-9]+)/.exec(error)?.[1];
    expect(reference).toBeDefined();
    expect(String(logged.mock.calls[0][0])).toContain(reference);
  });

  it("runs an audited verb in the wrapper's transaction: a refusal after a write leaves nothing, a success records who changed what", async () => {
    const t = await createTenant();
    const ops = await signedIn("ops");
    const audit = ({ data }: { data: { id: string } }) => ({ entityType: "routing_rule", entityId: data.id, action: "created", accountId: t.accountId });
    const auditRows = () => getDb().select().from(auditLog).where(eq(auditLog.accountId, t.accountId));

    const refused = await performAction({ roles: OPS, schema: ruleSchema, audit }, async (call) => {
      await saveRule(t)(call);
      throw new ActionRefusal("Changed my mind.");
    }, ops, ruleForm(t));
    expect(refused).toMatchObject({ ok: false, error: "Changed my mind." });
    expect(await listRoutingRules(getDb(), t.ctx)).toEqual([]);
    expect(await auditRows()).toEqual([]);

    const saved = await performAction({ roles: OPS, schema: ruleSchema, audit }, saveRule(t), ops, ruleForm(t));
    const [rule] = await listRoutingRules(getDb(), t.ctx);
    expect(saved).toMatchObject({ ok: true, data: { id: rule.id } });
    expect(await auditRows()).toEqual([
      expect.objectContaining({ entityType: "routing_rule", entityId: rule.id, action: "created", actor: ops.email, actorRole: "ops", source: "dashboard" }),
    ]);
  });
});
