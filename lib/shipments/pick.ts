import type { DbOrTx } from "@/db/client";
import type { Order } from "@/db/schema";
import type { DomainContext } from "@/lib/context";
import { appendOrderEvent } from "@/lib/events/timeline";
import { FulfillmentError } from "./errors";
import { lockOrder, setOrderStatus } from "./order-lock";

export type StartPickingInput = {
  orderId: string;
  /** When the warehouse started picking (default now). */
  occurredAt?: Date;
  /** The reporting system's own status word (`PICKING`), kept on the timeline. */
  rawStatus?: string;
};

export type StartPickingResult = {
  /** applied: received → processing; unchanged: it was already being picked (a repeated report changes nothing). */
  outcome: "applied" | "unchanged";
  order: Order;
};

/**
 * The warehouse started picking: received → processing. From then on the order can no longer be amended or
 * cancelled. A backordered or held order has no stock reserved, so it cannot be picked; a cancelled one is gone;
 * a shipped one is past picking. Refusals are FulfillmentErrors thrown before anything is written.
 */
export async function startPicking(tx: DbOrTx, ctx: DomainContext, input: StartPickingInput): Promise<StartPickingResult> {
  const order = await lockOrder(tx, ctx, input.orderId);
  const extra = { order_status: order.status };
  switch (order.status) {
    case "received":
      break;
    case "processing":
      return { outcome: "unchanged", order };
    case "partially_shipped":
    case "shipped":
      throw new FulfillmentError("order_already_shipped", "already_shipped", `Order ${order.id} has already shipped; it cannot be picked again.`, undefined, extra);
    case "backordered":
    case "on_hold":
      throw new FulfillmentError(
        "order_not_pickable",
        "validation_error",
        `Order ${order.id} is ${order.status}: it has no stock reserved and cannot be picked until it is released.`,
        undefined,
        extra,
      );
    case "cancelled":
      throw new FulfillmentError("order_not_pickable", "validation_error", `Order ${order.id} is cancelled and cannot be picked.`, undefined, extra);
  }
  await appendOrderEvent(tx, ctx, order.id, {
    type: "picking_started",
    status: "processing",
    rawStatus: input.rawStatus ?? null,
    occurredAt: input.occurredAt,
    message: "The warehouse started picking the order; it can no longer be amended or cancelled.",
  });
  return { outcome: "applied", order: await setOrderStatus(tx, ctx, order.id, "processing") };
}
