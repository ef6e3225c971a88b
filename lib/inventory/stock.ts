import { sql, type SQLWrapper } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { statement } from "@/db/statement";
import { inventoryLedger, inventoryLevels, type InventoryLevel, type StockBalance } from "@/db/schema";
import type { DomainContext, Tenant } from "@/lib/context";
import { newId } from "@/lib/ids";

export type StockKey = { skuId: string; warehouseId: string };
export type StockDelta = Partial<StockBalance>;
export type LedgerKind = (typeof inventoryLedger.$inferInsert)["kind"];

export const stockKey = (k: StockKey) => `${k.skuId}|${k.warehouseId}`;

/** Sellable now: on_hand − allocated, never below zero. */
export function availableOf(level: Pick<InventoryLevel, "onHand" | "allocated">): number {
  return Math.max(0, level.onHand - level.allocated);
}

export type LockedStock = StockKey & StockBalance;

type LevelRow = { sku_id: string; warehouse_id: string } & Record<"on_hand" | "allocated" | "incoming" | "backordered" | "quarantined", number>;

const levelsOf = (wanted: SQLWrapper) => sql`select l.sku_id, l.warehouse_id, l.on_hand, l.allocated, l.incoming, l.backordered, l.quarantined
      from ${inventoryLevels} l
      join jsonb_to_recordset(${wanted}::text::jsonb) as k(sku_id text, warehouse_id text)
        on l.sku_id = k.sku_id and l.warehouse_id = k.warehouse_id
     order by l.sku_id, l.warehouse_id`;
const lockLevels = statement<{ wanted: string }, LevelRow>((p) => sql`${levelsOf(p.wanted)} for update of l`);
const lockLevelsNow = statement<{ wanted: string }, LevelRow>((p) => sql`${levelsOf(p.wanted)} for update of l nowait`);

/**
 * Locks the stock rows of the given SKUs at the given warehouses (creating empty rows first), always in the
 * same order, and returns them. Every flow that decides on stock (allocate, release backorders, ship) locks
 * first and decides on the locked numbers: no concurrent transaction can act on the same units in between.
 */
export async function lockStock(
  tx: DbOrTx,
  ctx: Tenant,
  keys: StockKey[],
  options: {
    /**
     * false: fail at once (SQLSTATE 55P03) when another transaction holds one of the rows, instead of waiting. For a
     * caller that already holds other stock rows: waiting there could close a cycle with a flow that locks in the
     * fixed order. The caller runs it in a savepoint. Missing rows are not created.
     */
    wait?: boolean;
  } = {},
): Promise<Map<string, LockedStock>> {
  const unique = [...new Map(keys.map((k) => [stockKey(k), k])).values()].sort((a, b) => (stockKey(a) < stockKey(b) ? -1 : 1));
  if (!unique.length) return new Map();
  const wanted = JSON.stringify(unique.map((k) => ({ sku_id: k.skuId, warehouse_id: k.warehouseId })));
  const wait = options.wait ?? true;
  const select = async () => {
    const rows = await (wait ? lockLevels : lockLevelsNow)(tx, { wanted });
    const out = new Map<string, LockedStock>();
    for (const r of rows) {
      const key = { skuId: r.sku_id, warehouseId: r.warehouse_id };
      out.set(stockKey(key), { ...key, onHand: r.on_hand, allocated: r.allocated, incoming: r.incoming, backordered: r.backordered, quarantined: r.quarantined });
    }
    return out;
  };
  // Stock rows nearly always exist already: lock them in one statement, and create the missing ones only when needed.
  const locked = await select();
  if (locked.size === unique.length || !wait) return locked;
  await tx
    .insert(inventoryLevels)
    .values(unique.filter((k) => !locked.has(stockKey(k))).map((k) => ({ id: newId("inv"), accountId: ctx.accountId, environment: ctx.environment, ...k })))
    .onConflictDoNothing();
  return select();
}

export type Movement = StockKey & {
  kind: LedgerKind;
  delta: StockDelta;
  reason?: string | null;
  refType?: string | null;
  refId?: string | null;
  occurredAt?: Date;
};

// Balance after a movement = the row's final balance minus the deltas of the movements after it on the same row.
const after = (column: string, delta: string) => sql.raw(`m.${column} - coalesce(sum(v.${delta}) over later, 0)`);

const moveLevels = statement<Pick<DomainContext, "accountId" | "environment" | "source"> & { movements: string }, LevelRow>(
  (p) => sql`with v as (
      select * from jsonb_to_recordset(${p.movements}::text::jsonb)
        as x(ord int, ledger_id text, sku_id text, warehouse_id text, kind inventory_ledger_kind, reason text, ref_type text, ref_id text,
             occurred_at timestamptz, d_on_hand int, d_allocated int, d_incoming int, d_backordered int, d_quarantined int)
    ),
    total as (
      select sku_id, warehouse_id, sum(d_on_hand)::int as on_hand, sum(d_allocated)::int as allocated, sum(d_incoming)::int as incoming,
             sum(d_backordered)::int as backordered, sum(d_quarantined)::int as quarantined
        from v group by sku_id, warehouse_id
    ),
    moved as (
      update inventory_levels l
         set on_hand = l.on_hand + t.on_hand, allocated = l.allocated + t.allocated, incoming = l.incoming + t.incoming,
             backordered = l.backordered + t.backordered, quarantined = l.quarantined + t.quarantined, updated_at = now()
        from total t
       where l.sku_id = t.sku_id and l.warehouse_id = t.warehouse_id
      returning l.sku_id, l.warehouse_id, l.on_hand, l.allocated, l.incoming, l.backordered, l.quarantined
    ),
    ledger as (
      insert into inventory_ledger (id, account_id, environment, sku_id, warehouse_id, kind, reason, source, ref_type, ref_id,
                                    delta_on_hand, delta_allocated, delta_incoming, delta_backordered, delta_quarantined, balance, occurred_at)
      select v.ledger_id, ${p.accountId}, ${p.environment}::environment, v.sku_id, v.warehouse_id, v.kind, v.reason, ${p.source}, v.ref_type, v.ref_id,
             v.d_on_hand, v.d_allocated, v.d_incoming, v.d_backordered, v.d_quarantined,
             jsonb_build_object('onHand', ${after("on_hand", "d_on_hand")}, 'allocated', ${after("allocated", "d_allocated")},
                                'incoming', ${after("incoming", "d_incoming")}, 'backordered', ${after("backordered", "d_backordered")},
                                'quarantined', ${after("quarantined", "d_quarantined")}),
             v.occurred_at
        from v join moved m on m.sku_id = v.sku_id and m.warehouse_id = v.warehouse_id
      window later as (partition by v.sku_id, v.warehouse_id order by v.ord rows between 1 following and unbounded following)
    ),
    -- The inventory object's updated_at is the SKU's: once per transaction is enough.
    clock as (
      update skus set updated_at = now() where id in (select sku_id from moved) and updated_at <> now()
    )
    select * from moved`,
);

/** One movement: see moveStocks. */
export async function moveStock(tx: DbOrTx, ctx: DomainContext, movement: Movement): Promise<StockBalance> {
  const balances = await moveStocks(tx, ctx, [movement]);
  return balances.get(stockKey(movement))!;
}

/**
 * The one way stock numbers change: applies the deltas, records each movement and the balances it produced in
 * the ledger, and moves the SKUs' inventory clock — in ONE statement for any number of movements, so a flow that
 * moves every line of an order pays one round trip. The table's CHECKs refuse any result that would oversell or
 * go negative, so a caller's mistake fails the transaction instead of corrupting stock.
 * Movements on the same stock row are applied in the order given (each ledger row carries its own balance).
 * Returns the resulting balance of every stock row moved.
 */
export async function moveStocks(tx: DbOrTx, ctx: DomainContext, movements: Movement[]): Promise<Map<string, StockBalance>> {
  if (!movements.length) return new Map();
  const now = new Date().toISOString();
  const rows = await moveLevels(tx, {
    accountId: ctx.accountId,
    environment: ctx.environment,
    source: ctx.source,
    movements: JSON.stringify(
      movements.map((m, i) => ({
        ord: i,
        ledger_id: newId("led"),
        sku_id: m.skuId,
        warehouse_id: m.warehouseId,
        kind: m.kind,
        reason: m.reason ?? null,
        ref_type: m.refType ?? null,
        ref_id: m.refId ?? null,
        occurred_at: m.occurredAt?.toISOString() ?? now,
        d_on_hand: m.delta.onHand ?? 0,
        d_allocated: m.delta.allocated ?? 0,
        d_incoming: m.delta.incoming ?? 0,
        d_backordered: m.delta.backordered ?? 0,
        d_quarantined: m.delta.quarantined ?? 0,
      })),
    ),
  });
  const balances = new Map(
    rows.map((r) => [
      stockKey({ skuId: r.sku_id, warehouseId: r.warehouse_id }),
      { onHand: r.on_hand, allocated: r.allocated, incoming: r.incoming, backordered: r.backordered, quarantined: r.quarantined },
    ]),
  );
  const missing = movements.filter((m) => !balances.has(stockKey(m)));
  if (!missing.length) return balances;
  // A stock row that does not exist yet (first receipt of a SKU at a warehouse): create it, then move it.
  await tx
    .insert(inventoryLevels)
    .values([...new Map(missing.map((m) => [stockKey(m), { id: newId("inv"), accountId: ctx.accountId, environment: ctx.environment, skuId: m.skuId, warehouseId: m.warehouseId }])).values()])
    .onConflictDoNothing();
  for (const [key, balance] of await moveStocks(tx, ctx, missing)) balances.set(key, balance);
  return balances;
}
