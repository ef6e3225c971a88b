import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { statusMappings } from "@/db/schema";
import { sqlState } from "@/db/transaction";
import { InvalidFieldsError, ValidationError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { DEFAULT_STATUS_MAPPINGS, ensureDefaultStatusMappings } from "./defaults";
import { listStatusMappingChanges, listStatusMappings, resolveStatus, saveStatusMapping } from "./mappings";
import { isLabelOnlyRawStatus } from "./rules";

const uniqueSource = () => `src-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

async function refusal(promise: Promise<unknown>): Promise<Record<string, string>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof InvalidFieldsError) return error.fieldErrors;
    if (error instanceof ValidationError && error.field) return { [error.field]: error.message };
    throw error;
  }
  throw new Error("expected the mapping to be refused");
}

describe("status mapping", () => {
  it("seeds the spec's defaults idempotently and never overwrites an edited default", async () => {
    const db = getDb();
    await ensureDefaultStatusMappings(db);
    await ensureDefaultStatusMappings(db);
    const rows = await listStatusMappings(db);
    const get = (source: string, raw: string) => rows.find((r) => r.source === source && r.rawStatus === raw);
    expect(rows.filter((r) => r.isDefault)).toHaveLength(DEFAULT_STATUS_MAPPINGS.length);
    const expected: [string, string, string, string][] = [
      ["wms", "RELEASED", "order", "received"],
      ["wms", "PICKING", "order", "processing"],
      ["wms", "PICKED", "order", "processing"],
      ["wms", "PACKED", "order", "processing"],
      ["wms", "LABEL_CREATED", "order", "processing"],
      ["wms", "SHIPPED", "order", "shipped"],
      ["wms", "MANIFESTED", "order", "shipped"],
      ["wms", "CANCELLED", "order", "cancelled"],
      ["carrier", "LABEL_CREATED", "shipment", "ignore"],
      ["carrier", "ACCEPTED", "shipment", "in_transit"],
      ["carrier", "IN_TRANSIT", "shipment", "in_transit"],
      ["carrier", "OUT_FOR_DELIVERY", "shipment", "out_for_delivery"],
      ["carrier", "DELIVERED", "shipment", "delivered"],
      ["carrier", "EXCEPTION", "shipment", "exception"],
      ["shopify", "IN_TRANSIT", "shipment", "in_transit"],
    ];
    for (const [source, raw, appliesTo, to] of expected) expect([source, raw, get(source, raw)?.appliesTo, get(source, raw)?.canonicalStatus]).toEqual([source, raw, appliesTo, to]);
    expect(get("carrier", "LABEL_CREATED")).toMatchObject({ labelOnly: true, customerMessage: expect.stringContaining("waiting for carrier pickup") });

    // Ops edits a default; the seed runs again at the next start and leaves the edit alone.
    const packed = get("wms", "PACKED")!;
    await saveStatusMapping(db, { actor: "ops@example.test", source: "dashboard" }, { id: packed.id, source: "wms", rawStatus: "PACKED", appliesTo: "order", canonicalStatus: "processing", customerMessage: "Packed and ready." });
    await ensureDefaultStatusMappings(db);
    expect((await resolveStatus(db, "WMS", " packed "))?.customerMessage).toBe("Packed and ready.");
  });

  it("refuses, in the domain and in the database, to let a label-only status mean shipped", async () => {
    const db = getDb();
    const source = uniqueSource();
    expect(isLabelOnlyRawStatus("LABEL_CREATED")).toBe(true);
    expect(isLabelOnlyRawStatus("label printed")).toBe(true);
    expect(isLabelOnlyRawStatus("LABEL_VOIDED")).toBe(false);
    expect(isLabelOnlyRawStatus("SHIPPED")).toBe(false);

    const cases: [string, "order" | "shipment", string, boolean][] = [
      ["LABEL_CREATED", "order", "shipped", false],
      ["LABEL_PRINTED", "shipment", "in_transit", false],
      ["LABEL_PURCHASED", "shipment", "delivered", false],
      ["AWAITING_COLLECTION", "shipment", "in_transit", true],
    ];
    for (const [raw, appliesTo, to, labelOnly] of cases) {
      const errors = await refusal(saveStatusMapping(db, { actor: "ops@example.test", source: "dashboard" }, { source, rawStatus: raw, appliesTo, canonicalStatus: to, customerMessage: "x", labelOnly }));
      expect(errors.canonicalStatus).toMatch(/only means a label exists/);
    }
    // Editing an existing row into the forbidden shape is refused the same way.
    const ok = await saveStatusMapping(db, { actor: "ops@example.test", source: "dashboard" }, { source, rawStatus: "LABEL_CREATED", appliesTo: "order", canonicalStatus: "processing", customerMessage: "Label made." });
    const edit = await refusal(saveStatusMapping(db, { actor: "ops@example.test", source: "dashboard" }, { id: ok.id, source, rawStatus: "LABEL_CREATED", appliesTo: "order", canonicalStatus: "shipped", customerMessage: "Shipped!" }));
    expect(edit.canonicalStatus).toBeDefined();
    expect((await resolveStatus(db, source, "LABEL_CREATED"))?.canonicalStatus).toBe("processing");

    // Whoever bypasses the domain meets the CHECK constraint.
    let state: string | undefined;
    try {
      await db.insert(statusMappings).values({
        id: newId("stm"),
        source,
        rawStatus: "LABEL_GENERATED",
        appliesTo: "order",
        canonicalStatus: "shipped",
        customerMessage: "x",
        ownerSystem: "wms",
        updatedBy: "sql",
      });
    } catch (error) {
      state = sqlState(error);
    }
    expect(state).toBe("23514");
  });

  it("validates every field, refuses a second row for one raw status, and records each change with who and what", async () => {
    const db = getDb();
    const source = uniqueSource();
    const invalid = await refusal(saveStatusMapping(db, { actor: "ops@example.test", source: "dashboard" }, { source: "Bad Source!", rawStatus: "", appliesTo: "order", canonicalStatus: "delivered", customerMessage: " " }));
    expect(Object.keys(invalid).sort()).toEqual(["canonicalStatus", "customerMessage", "rawStatus", "source"]);

    const created = await saveStatusMapping(db, { actor: "ops@example.test", source: "dashboard" }, { source, rawStatus: "on-the-truck", appliesTo: "shipment", canonicalStatus: "in_transit", customerMessage: "On its way." });
    expect(created).toMatchObject({ source, rawStatus: "ON_THE_TRUCK", ownerSystem: source, labelOnly: false, updatedBy: "ops@example.test" });
    const twice = await refusal(saveStatusMapping(db, { actor: "lead@example.test", source: "dashboard" }, { source, rawStatus: "ON_THE_TRUCK", appliesTo: "shipment", canonicalStatus: "delivered", customerMessage: "x" }));
    expect(twice.rawStatus).toMatch(/already mapped/);
    await saveStatusMapping(db, { actor: "lead@example.test", source: "dashboard" }, { id: created.id, source, rawStatus: "ON_THE_TRUCK", appliesTo: "shipment", canonicalStatus: "out_for_delivery", customerMessage: "Out today.", ownerSystem: "carrier" });

    const changes = (await listStatusMappingChanges(db)).filter((c) => c.mappingId === created.id).reverse();
    expect(changes.map((c) => [c.action, c.actor, c.before?.canonical_status ?? null, c.after?.canonical_status])).toEqual([
      ["created", "ops@example.test", null, "in_transit"],
      ["updated", "lead@example.test", "in_transit", "out_for_delivery"],
    ]);
  });
});
