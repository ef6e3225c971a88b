import type { DbOrTx } from "@/db/client";
import { resolveScope, type OpsScope } from "@/lib/sku-map/scope";
import { formField } from "./form-data";
import { ActionRefusal } from "./perform-action";

/** The hidden inputs of a per-account ops form (SKU map, routing): which account and environment it works on. */
export const scopeFields = { account: formField.text(), env: formField.text() };

/** The scope the form names, checked against the database; the account may be gone since the page was rendered. */
export async function formScope(db: DbOrTx, input: { account: string; env: string }): Promise<OpsScope> {
  const scope = await resolveScope(db, input.account, input.env);
  if (!scope) throw new ActionRefusal("Unknown account; reload the page.");
  return scope;
}
