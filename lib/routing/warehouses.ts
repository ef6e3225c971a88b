import { asc, and, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { warehouses, type Warehouse, type Environment } from "@/db/schema";
import { ValidationError } from "@/lib/errors";

/** The warehouses routing chooses between, in fallback order (the 3PL's, shared by every account of the environment). */
export async function listRoutingWarehouses(db: DbOrTx, environment: Environment): Promise<Warehouse[]> {
  return db.select().from(warehouses).where(eq(warehouses.environment, environment)).orderBy(asc(warehouses.priority), asc(warehouses.name));
}

/**
 * Pauses or resumes a warehouse and sets its daily capacity (orders per local day; null = unlimited). Routing reads
 * both on every order, so the change applies to the next order routed. Returns undefined for an unknown warehouse.
 */
export async function setWarehouseAvailability(
  db: DbOrTx,
  environment: Environment,
  id: string,
  input: { paused: boolean; dailyCapacity: number | null },
): Promise<Warehouse | undefined> {
  if (input.dailyCapacity !== null && (!Number.isInteger(input.dailyCapacity) || input.dailyCapacity < 0 || input.dailyCapacity > 1_000_000)) {
    throw new ValidationError("The daily capacity must be a whole number of orders between 0 and 1000000.", "dailyCapacity");
  }
  const [row] = await db
    .update(warehouses)
    .set({ paused: input.paused, dailyCapacity: input.dailyCapacity })
    .where(and(eq(warehouses.id, id), eq(warehouses.environment, environment)))
    .returning();
  return row;
}
