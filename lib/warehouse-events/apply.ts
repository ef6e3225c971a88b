import type { DbOrTx } from "@/db/client";
import { DomainError } from "@/lib/errors";
import type { DomainContext } from "@/lib/context";
import { receiveInbound } from "@/lib/inbound/receive";
import { adjustStock } from "@/lib/inventory/adjust";
import { receiveReturn } from "@/lib/returns/receive";
import { applyStatusEvent } from "./apply-status";
import { EventRejected, type EventOutcome } from "./outcome";
import type { InboundReceiptEvent, InventoryEvent, ReturnReceiptEvent, WarehouseEventInput } from "./schema";

/** Names the reference the WMS got wrong, so ops sees "unknown_sku", not a generic "not_found". */
function rename(error: unknown, names: Partial<Record<string, string>>): never {
  if (error instanceof DomainError && names[error.code]) throw new EventRejected(names[error.code]!, error.message);
  throw error;
}

async function applyInventoryEvent(tx: DbOrTx, ctx: DomainContext, event: InventoryEvent): Promise<EventOutcome> {
  try {
    // adjustStock locks, records the count (re-balancing what no longer fits), and releases backorders when units free up.
    const { adjustment, releasedOrderIds, rebalanced, belowPicked } = await adjustStock(tx, ctx, {
      sku: event.sku,
      warehouseId: event.warehouse_id,
      change: event.on_hand !== undefined ? { onHand: event.on_hand } : { delta: event.quantity_delta! },
      reason: event.reason ?? "cycle_count",
      note: event.note ?? null,
      occurredAt: new Date(event.occurred_at),
    });
    const parts = [
      adjustment ? `${adjustment.sku} ${adjustment.quantity_delta > 0 ? "+" : ""}${adjustment.quantity_delta} (${adjustment.reason}).` : belowPicked ? "" : "The count matched the books; nothing moved.",
      rebalanced.backordered.length ? `Backordered ${rebalanced.backordered.length} order(s) whose allocation no longer fit.` : "",
      rebalanced.rerouted.length ? `Re-routed ${rebalanced.rerouted.length} order(s) whose allocation no longer fit.` : "",
      belowPicked ? "The count is below the units picked for orders in progress: on_hand kept at those; raised as an exception." : "",
      releasedOrderIds.length ? `Released ${releasedOrderIds.length} backordered order(s).` : "",
    ];
    return { state: "applied", message: parts.filter(Boolean).join(" ") };
  } catch (error) {
    rename(error, { unknown_sku: "unknown_sku", invalid_warehouse: "unknown_warehouse", validation_error: "stock_refused" });
  }
}

async function applyInboundReceipt(tx: DbOrTx, ctx: DomainContext, event: InboundReceiptEvent): Promise<EventOutcome> {
  try {
    const inbound = await receiveInbound(tx, ctx, {
      inboundId: event.inbound_shipment_id,
      items: event.items.map((i) => ({ sku: i.sku, receivedQuantity: i.received_quantity })),
      complete: event.complete,
      receivedAt: new Date(event.occurred_at),
    });
    return { state: "applied", message: `Inbound shipment ${inbound.id} is ${inbound.status}.` };
  } catch (error) {
    rename(error, { not_found: "unknown_inbound_shipment", unknown_sku: "unknown_sku", validation_error: "inbound_closed" });
  }
}

async function applyReturnReceipt(tx: DbOrTx, ctx: DomainContext, event: ReturnReceiptEvent): Promise<EventOutcome> {
  try {
    const ret = await receiveReturn(tx, ctx, { returnId: event.return_id, items: event.items, receivedAt: new Date(event.occurred_at) });
    return { state: "applied", message: `Return ${ret.id} is ${ret.status}.`, orderId: ret.order_id };
  } catch (error) {
    rename(error, { not_found: "unknown_return", unknown_sku: "unknown_sku", validation_error: "return_refused" });
  }
}

/** Applies one event inside the caller's transaction. Throws EventRejected (or a domain refusal) when it cannot. */
export function applyWarehouseEvent(tx: DbOrTx, ctx: DomainContext, event: WarehouseEventInput): Promise<EventOutcome> {
  switch (event.type) {
    case "inventory":
      return applyInventoryEvent(tx, ctx, event);
    case "inbound_receipt":
      return applyInboundReceipt(tx, ctx, event);
    case "return_receipt":
      return applyReturnReceipt(tx, ctx, event);
    default:
      return applyStatusEvent(tx, ctx, event);
  }
}
