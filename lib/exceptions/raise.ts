import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { operationalExceptions } from "@/db/schema";

/**
 * Closes the open exceptions a flow raised about one thing (a dead delivery, a failed event) once that thing is
 * fixed, wherever it was fixed from: the queue, or the page that owns it. `key` is the data field naming it.
 */
export async function resolveRaisedExceptions(tx: DbOrTx, input: { kind: string; key: string; value: string; by: string; note: string }): Promise<number> {
  const rows = await tx
    .update(operationalExceptions)
    .set({ status: "resolved", resolvedAt: sql`now()`, resolvedBy: input.by, resolutionNote: input.note, updatedAt: sql`now()` })
    .where(and(eq(operationalExceptions.kind, input.kind), eq(operationalExceptions.status, "open"), sql`${operationalExceptions.data}->>${input.key} = ${input.value}`))
    .returning({ id: operationalExceptions.id });
  return rows.length;
}
