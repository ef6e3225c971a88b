import { and, eq, inArray, or } from "drizzle-orm";
import Papa from "papaparse";
import type { Db, DbOrTx } from "@/db/client";
import { inTransaction } from "@/db/transaction";
import { skuMappings, skus } from "@/db/schema";
import { recordAudit, type AuditActor } from "@/lib/audit/record";
import type { Tenant } from "@/lib/context";
import { newId } from "@/lib/ids";
import { numericIdOf, toGid } from "@/lib/channels/shopify/gid";
import { allMappings, DEFAULT_CHANNEL, upsertMapping } from "./mappings";

export const SKU_MAP_CSV_COLUMNS = ["channel_sku", "variant_id", "account_sku", "warehouse_item_code", "active"] as const;
export const SKU_MAP_CSV_HEADER = SKU_MAP_CSV_COLUMNS.join(",");
export const MAX_IMPORT_ROWS = 50_000;
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

/** A problem with one line of the file (line 1 is the header). */
export type RowError = { line: number; field?: string; message: string };

export type SkuMapRow = {
  line: number;
  channelSku: string | null;
  variantId: string | null;
  accountSku: string;
  warehouseItemCode: string | null;
  active: boolean;
};

export type ImportProgress = { phase: "validating" | "applying"; done: number; total: number };

export type ImportResult =
  | { ok: true; total: number; created: number; updated: number; mappingIds: string[] }
  | { ok: false; total: number; errors: RowError[] };

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * A spreadsheet runs a cell that starts with = + - @ tab or CR as a formula (CSV injection), so the export puts a
 * single quote before such a value (OWASP's rule), and the import takes exactly one leading quote off a value that
 * is quotes followed by one of those characters. A stored value that already starts that way (`'=x`) is exported
 * with one more quote, so export then import gives back every value exactly.
 */
const FORMULA_ON_EXPORT = /^'*[=+\-@\t\r]/;
const FORMULA_ON_IMPORT = /^'+[=+\-@\t\r]/;

function cell(value: string | undefined, line: number, field: string, errors: RowError[], max = 200): string | null {
  const trimmed = (value ?? "").trim();
  const text = FORMULA_ON_IMPORT.test(trimmed) ? trimmed.slice(1) : trimmed;
  if (!text) return null;
  if (text.length > max) errors.push({ line, field, message: `${field} is longer than ${max} characters` });
  else if (CONTROL.test(text)) errors.push({ line, field, message: `${field} contains control characters` });
  return text;
}

function parseActive(value: string | undefined, line: number, errors: RowError[]): boolean {
  const text = (value ?? "").trim().toLowerCase();
  if (text === "" || ["true", "1", "yes", "y"].includes(text)) return true;
  if (["false", "0", "no", "n"].includes(text)) return false;
  errors.push({ line, field: "active", message: `active must be true or false, not '${value}'` });
  return true;
}

/**
 * Reads the file into rows, each knowing its line number (quoted fields may span lines, blank lines are
 * skipped), and reports every malformed row rather than stopping at the first.
 */
export function parseSkuMapCsv(input: string): { rows: SkuMapRow[]; errors: RowError[] } {
  const text = input.replace(/^\uFEFF/, "");
  const errors: RowError[] = [];
  if (Buffer.byteLength(text) > MAX_IMPORT_BYTES) return { rows: [], errors: [{ line: 1, message: `the file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB` }] };
  const rows: SkuMapRow[] = [];
  let start = 0;
  let newlinesBefore = 0;
  let scanned = 0;
  let header: string[] | null = null;
  let tooMany = false;
  Papa.parse<string[]>(text, {
    step: (result) => {
      for (; scanned < start; scanned++) if (text.charCodeAt(scanned) === 10) newlinesBefore++;
      const line = newlinesBefore + 1;
      start = result.meta.cursor;
      const fields = result.data;
      if (fields.every((f) => f.trim() === "")) return;
      if (!header) {
        header = fields.map((f) => f.trim());
        return;
      }
      if (rows.length >= MAX_IMPORT_ROWS) {
        tooMany = true;
        return;
      }
      if (fields.length !== SKU_MAP_CSV_COLUMNS.length) {
        errors.push({ line, message: `expected ${SKU_MAP_CSV_COLUMNS.length} columns, found ${fields.length}` });
        return;
      }
      for (const e of result.errors) errors.push({ line, message: e.message });
      const rowErrors: RowError[] = [];
      const channelSku = cell(fields[0], line, "channel_sku", rowErrors);
      const rawVariant = cell(fields[1], line, "variant_id", rowErrors);
      const accountSku = cell(fields[2], line, "account_sku", rowErrors);
      const warehouseItemCode = cell(fields[3], line, "warehouse_item_code", rowErrors);
      const active = parseActive(fields[4], line, rowErrors);
      let variantId: string | null = null;
      if (rawVariant) {
        variantId = toGid("ProductVariant", rawVariant);
        if (!variantId) rowErrors.push({ line, field: "variant_id", message: `variant_id '${rawVariant}' is not a number or gid://shopify/ProductVariant/…` });
      }
      if (!channelSku && !rawVariant) rowErrors.push({ line, field: "channel_sku", message: "channel_sku or variant_id is required" });
      if (!accountSku) rowErrors.push({ line, field: "account_sku", message: "account_sku is required" });
      errors.push(...rowErrors);
      if (!rowErrors.length && accountSku) rows.push({ line, channelSku, variantId, accountSku, warehouseItemCode, active });
    },
  });
  const found = header as string[] | null;
  if (!found) return { rows: [], errors: [{ line: 1, message: `the file is empty; the first line must be ${SKU_MAP_CSV_HEADER}` }] };
  if (found.join(",") !== SKU_MAP_CSV_HEADER) {
    return { rows: [], errors: [{ line: 1, message: `the header must be exactly ${SKU_MAP_CSV_HEADER} (found ${found.join(",")})` }] };
  }
  if (tooMany) errors.push({ line: 1, message: `the file has more than ${MAX_IMPORT_ROWS} rows; split it` });
  return { rows, errors };
}

/** Rows that name the same variant or channel SKU twice would overwrite each other: both lines are named. */
function duplicateKeys(rows: SkuMapRow[]): RowError[] {
  const errors: RowError[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    const keys = [row.variantId ? ["variant_id", row.variantId] : null, row.channelSku ? ["channel_sku", row.channelSku] : null].filter(Boolean) as [string, string][];
    for (const [field, value] of keys) {
      const key = `${field}\u0000${value}`;
      const first = seen.get(key);
      if (first !== undefined) errors.push({ line: row.line, field, message: `${field} '${field === "variant_id" ? numericIdOf(value) : value}' is already on line ${first}` });
      else seen.set(key, row.line);
    }
  }
  return errors;
}

async function accountSkuIds(db: DbOrTx, ctx: Tenant, codes: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < codes.length; i += 1000) {
    const chunk = codes.slice(i, i + 1000);
    const rows = await db
      .select({ id: skus.id, sku: skus.sku })
      .from(skus)
      .where(and(eq(skus.accountId, ctx.accountId), eq(skus.environment, ctx.environment), inArray(skus.sku, chunk)));
    for (const r of rows) out.set(r.sku, r.id);
  }
  return out;
}

/** Which existing mapping holds each variant and channel SKU the file names (to spot rows joining two mappings). */
async function existingKeys(db: DbOrTx, ctx: Tenant, rows: SkuMapRow[], channel: string) {
  const byVariant = new Map<string, string>();
  const bySku = new Map<string, string>();
  const both = rows.filter((r) => r.variantId && r.channelSku);
  for (let i = 0; i < both.length; i += 1000) {
    const chunk = both.slice(i, i + 1000);
    const found = await db
      .select({ id: skuMappings.id, variantId: skuMappings.variantId, channelSku: skuMappings.channelSku })
      .from(skuMappings)
      .where(
        and(
          eq(skuMappings.accountId, ctx.accountId),
          eq(skuMappings.environment, ctx.environment),
          eq(skuMappings.channel, channel),
          or(inArray(skuMappings.variantId, chunk.map((r) => r.variantId as string)), inArray(skuMappings.channelSku, chunk.map((r) => r.channelSku as string))),
        ),
      );
    for (const f of found) {
      if (f.variantId) byVariant.set(f.variantId, f.id);
      if (f.channelSku) bySku.set(f.channelSku, f.id);
    }
  }
  return { byVariant, bySku };
}

/**
 * Checks a whole file against the account: every row parses, names a SKU of the account, no two rows share a
 * key, no row's keys point at two different existing mappings. Every problem is reported, each with its line.
 */
export async function validateSkuMapCsv(db: DbOrTx, ctx: Tenant, text: string, onProgress?: (p: ImportProgress) => void, channel = DEFAULT_CHANNEL) {
  const { rows, errors } = parseSkuMapCsv(text);
  errors.push(...duplicateKeys(rows));
  const skuIds = await accountSkuIds(db, ctx, [...new Set(rows.map((r) => r.accountSku))]);
  const existing = await existingKeys(db, ctx, rows, channel);
  const total = rows.length;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (!skuIds.has(row.accountSku)) errors.push({ line: row.line, field: "account_sku", message: `account_sku '${row.accountSku}' is not a SKU of this account` });
    if (row.variantId && row.channelSku) {
      const a = existing.byVariant.get(row.variantId);
      const b = existing.bySku.get(row.channelSku);
      if (a && b && a !== b) {
        errors.push({ line: row.line, message: `variant_id ${numericIdOf(row.variantId)} and channel_sku '${row.channelSku}' belong to two different existing mappings` });
      }
    }
    if (onProgress && (i % 200 === 199 || i === rows.length - 1)) onProgress({ phase: "validating", done: i + 1, total });
  }
  errors.sort((a, b) => a.line - b.line);
  return { rows, errors, skuIds, total };
}

/** The keys an import's audit row lists by name; beyond them it gives the counts only. */
const AUDITED_KEYS = 100;

/**
 * Imports a SKU map file: validates EVERY row first, then applies them all in one transaction, so a bad file
 * changes nothing and a good one lands whole. Upserts by variant id or channel SKU.
 *
 * The import is one row of the audit log, in the same transaction: who, the counts, and the keys created and
 * updated (the first hundred). One row per import rather than per mapping: a file of 20,000 rows would bury every
 * other change, and what a file did is read as a whole ("who imported what, when"); the file's rows are the
 * export's to show. A refused file changes nothing and records nothing.
 */
export async function importSkuMapCsv(
  db: Db,
  ctx: Tenant,
  actor: AuditActor,
  text: string,
  options: { onProgress?: (p: ImportProgress) => void; channel?: string } = {},
): Promise<ImportResult> {
  const channel = options.channel ?? DEFAULT_CHANNEL;
  const { rows, errors, skuIds, total } = await validateSkuMapCsv(db, ctx, text, options.onProgress, channel);
  if (errors.length) return { ok: false, total, errors };
  if (!rows.length) return { ok: false, total, errors: [{ line: 1, message: "the file has no rows below the header" }] };
  return inTransaction(db, async (tx) => {
    let created = 0;
    let updated = 0;
    const mappingIds: string[] = [];
    const createdKeys: string[] = [];
    const updatedKeys: string[] = [];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      const result = await upsertMapping(
        tx,
        ctx,
        { channelSku: row.channelSku, variantId: row.variantId, skuId: skuIds.get(row.accountSku) as string, warehouseItemCode: row.warehouseItemCode, active: row.active },
        channel,
      );
      // Validated above; a concurrent edit between validation and now is the only way here, and it aborts everything.
      if (!result) throw new Error(`line ${row.line}: its keys now belong to two different mappings; nothing was imported`);
      if (result.created) created++;
      else updated++;
      (result.created ? createdKeys : updatedKeys).push(row.channelSku ?? row.variantId ?? "");
      mappingIds.push(result.mapping.id);
      if (options.onProgress && (i % 200 === 199 || i === rows.length - 1)) options.onProgress({ phase: "applying", done: i + 1, total });
    }
    await recordAudit(tx, {
      ...actor,
      entityType: "sku_map_import",
      entityId: newId("smi"),
      action: "imported",
      after: { total, created, updated, channel, created_keys: createdKeys.slice(0, AUDITED_KEYS), updated_keys: updatedKeys.slice(0, AUDITED_KEYS) },
      accountId: ctx.accountId,
      environment: ctx.environment,
    });
    return { ok: true as const, total, created, updated, mappingIds };
  });
}

/** The account's map as a file the import accepts back unchanged, with no cell a spreadsheet would run as a formula. */
export async function exportSkuMapCsv(db: DbOrTx, ctx: Tenant, channel = DEFAULT_CHANNEL): Promise<string> {
  const rows = await allMappings(db, ctx, channel);
  const body = Papa.unparse(
    {
      fields: [...SKU_MAP_CSV_COLUMNS],
      data: rows.map((r) => [r.channelSku ?? "", r.variantId ? numericIdOf(r.variantId) : "", r.sku, r.warehouseItemCode ?? "", r.active ? "true" : "false"]),
    },
    { newline: "\n", escapeFormulae: FORMULA_ON_EXPORT },
  );
  return `${body}\n`;
}
