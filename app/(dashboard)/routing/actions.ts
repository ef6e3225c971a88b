"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { dashboardAction, formField } from "@/lib/dashboard/action";
import { CHANNEL_OPS_ROLES } from "@/lib/dashboard/nav";
import { formScope, scopeFields } from "@/lib/dashboard/ops-scope";
import { trialRoute } from "@/lib/routing/explain";
import * as defined from "./verbs";

export const saveRuleAction = dashboardAction(defined.saveRuleAction.options, async (call) => {
  const done = await defined.saveRuleAction.verb(call);
  revalidatePath("/routing");
  return done;
});

export const deleteRuleAction = dashboardAction(defined.deleteRuleAction.options, async (call) => {
  const done = await defined.deleteRuleAction.verb(call);
  revalidatePath("/routing");
  return done;
});

export const moveRuleAction = dashboardAction(defined.moveRuleAction.options, async (call) => {
  const done = await defined.moveRuleAction.verb(call);
  revalidatePath("/routing");
  return done;
});

export const saveWarehouseAction = dashboardAction(defined.saveWarehouseAction.options, async (call) => {
  const done = await defined.saveWarehouseAction.verb(call);
  revalidatePath("/routing");
  return done;
});

const LINE = /^(\S+)\s+(\d{1,6})(?:\s+(\d{1,10}(?:\.\d{1,4})?))?$/;

const trialSchema = z.object({
  ...scopeFields,
  country: formField
    .text()
    .transform((country) => country.trim().toUpperCase())
    .pipe(z.string().regex(/^[A-Z]{2}$/, "A two-letter country code such as AU.")),
  state: formField.text().transform((state) => state.trim().toUpperCase() || null),
  tags: formField.text().transform((tags) => tags.split(/[\s,]+/).filter(Boolean)),
  lines: formField.text().transform((text, ctx) => {
    const lines: { sku: string; quantity: number; unitPrice: string | null }[] = [];
    for (const [i, raw] of text.split("\n").entries()) {
      const line = raw.trim();
      if (!line) continue;
      const m = LINE.exec(line);
      if (!m || Number(m[2]) < 1) {
        ctx.addIssue({ code: "custom", message: `Line ${i + 1}: write "SKU quantity [unit price]", e.g. TEE-RED 2 19.95.` });
        return z.NEVER;
      }
      lines.push({ sku: m[1], quantity: Number(m[2]), unitPrice: m[3] ?? null });
    }
    if (!lines.length) ctx.addIssue({ code: "custom", message: "Give at least one line." });
    return lines;
  }),
});

/** "Test this rule set": which warehouse wins (a question, not a change: nothing to audit) for a destination and lines, and why each rule matched or not. */
export const trialAction = dashboardAction({ roles: CHANNEL_OPS_ROLES, schema: trialSchema }, async ({ input, db }) => {
  return trialRoute(db, await formScope(db, input), input);
});
