import { and, eq, sql } from "drizzle-orm";
import { getDb, queryRows, type DbOrTx } from "@/db/client";
import { inventoryLevels, skus, type Environment, type StockBalance } from "@/db/schema";
import type { TestTenant } from "./factories";

/** Stock as the tests read it back: one SKU's numbers at a warehouse, and the ledger replayed against the stock rows. */

/** The stock of a SKU (by code) at a warehouse (Sydney by default); zeros where the SKU has no stock row there. */
export async function stockOf(t: Pick<TestTenant, "accountId" | "environment" | "warehouses">, sku: string, warehouseId = t.warehouses.syd): Promise<StockBalance> {
  const [row] = await getDb()
    .select({
      onHand: inventoryLevels.onHand,
      allocated: inventoryLevels.allocated,
      incoming: inventoryLevels.incoming,
      backordered: inventoryLevels.backordered,
      quarantined: inventoryLevels.quarantined,
    })
    .from(inventoryLevels)
    .innerJoin(skus, eq(skus.id, inventoryLevels.skuId))
    .where(and(eq(skus.accountId, t.accountId), eq(skus.environment, t.environment), eq(skus.sku, sku), eq(inventoryLevels.warehouseId, warehouseId)));
  return row ?? { onHand: 0, allocated: 0, incoming: 0, backordered: 0, quarantined: 0 };
}

export type LedgerMismatch = {
  accountId: string;
  environment: Environment;
  skuId: string;
  warehouseId: string;
  /** What replaying every ledger delta from zero gives. */
  ledger: StockBalance;
  /** What inventory_levels says now. */
  live: StockBalance;
};

type Row = {
  account_id: string;
  environment: Environment;
  sku_id: string;
  warehouse_id: string;
  l_on_hand: number;
  l_allocated: number;
  l_incoming: number;
  l_backordered: number;
  l_quarantined: number;
  v_on_hand: number;
  v_allocated: number;
  v_incoming: number;
  v_backordered: number;
  v_quarantined: number;
};

/**
 * Replays the ledger and compares it with the live stock rows: every movement goes through moveStock, which
 * writes both, so any difference means something changed stock behind the ledger's back. Returns the
 * mismatching rows (empty when the books balance). One set-based query: usable on a whole database.
 */
export async function recomputeFromLedger(db: DbOrTx, scope: { accountId?: string; environment?: Environment } = {}): Promise<LedgerMismatch[]> {
  const ledgerScope = sql.join(
    [
      sql`true`,
      ...(scope.accountId ? [sql`account_id = ${scope.accountId}`] : []),
      ...(scope.environment ? [sql`environment = ${scope.environment}`] : []),
    ],
    sql` and `,
  );
  const rows = await queryRows<Row>(
    db,
    sql`with replay as (
          select account_id, environment, sku_id, warehouse_id,
                 sum(delta_on_hand)::int as on_hand, sum(delta_allocated)::int as allocated, sum(delta_incoming)::int as incoming,
                 sum(delta_backordered)::int as backordered, sum(delta_quarantined)::int as quarantined
            from inventory_ledger where ${ledgerScope}
           group by account_id, environment, sku_id, warehouse_id
        ), live as (
          select account_id, environment, sku_id, warehouse_id, on_hand, allocated, incoming, backordered, quarantined
            from inventory_levels where ${ledgerScope}
        )
        select coalesce(l.account_id, v.account_id) as account_id, coalesce(l.environment, v.environment) as environment,
               coalesce(l.sku_id, v.sku_id) as sku_id, coalesce(l.warehouse_id, v.warehouse_id) as warehouse_id,
               coalesce(l.on_hand, 0) as l_on_hand, coalesce(l.allocated, 0) as l_allocated, coalesce(l.incoming, 0) as l_incoming,
               coalesce(l.backordered, 0) as l_backordered, coalesce(l.quarantined, 0) as l_quarantined,
               coalesce(v.on_hand, 0) as v_on_hand, coalesce(v.allocated, 0) as v_allocated, coalesce(v.incoming, 0) as v_incoming,
               coalesce(v.backordered, 0) as v_backordered, coalesce(v.quarantined, 0) as v_quarantined
          from replay l full join live v
            on v.sku_id = l.sku_id and v.warehouse_id = l.warehouse_id
         where (coalesce(l.on_hand, 0), coalesce(l.allocated, 0), coalesce(l.incoming, 0), coalesce(l.backordered, 0), coalesce(l.quarantined, 0))
               is distinct from
               (coalesce(v.on_hand, 0), coalesce(v.allocated, 0), coalesce(v.incoming, 0), coalesce(v.backordered, 0), coalesce(v.quarantined, 0))
         order by 1, 2, 3, 4`,
  );
  return rows.map((r) => ({
    accountId: r.account_id,
    environment: r.environment,
    skuId: r.sku_id,
    warehouseId: r.warehouse_id,
    ledger: { onHand: Number(r.l_on_hand), allocated: Number(r.l_allocated), incoming: Number(r.l_incoming), backordered: Number(r.l_backordered), quarantined: Number(r.l_quarantined) },
    live: { onHand: Number(r.v_on_hand), allocated: Number(r.v_allocated), incoming: Number(r.v_incoming), backordered: Number(r.v_backordered), quarantined: Number(r.v_quarantined) },
  }));
}
