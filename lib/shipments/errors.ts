import { DomainError, type DomainErrorCode } from "@/lib/errors";

/** Why a fulfillment transition was refused; callers that record failures (warehouse events) store this. */
export type FulfillmentRefusal =
  | "order_not_pickable"
  | "order_not_shippable"
  | "order_already_shipped"
  | "unknown_item"
  | "too_many_units"
  | "duplicate_tracking_number"
  | "insufficient_stock"
  | "shipment_voided"
  | "shipment_delivered"
  | "status_regression";

/**
 * A transition the current state does not allow. Always thrown BEFORE the transition writes anything, so a
 * caller that wants to keep a record of the refused report (a stale warehouse event) may catch it inside the
 * same transaction and append its own timeline event.
 */
export class FulfillmentError extends DomainError {
  constructor(
    readonly reason: FulfillmentRefusal,
    code: DomainErrorCode,
    message: string,
    field?: string,
    details: Record<string, unknown> = {},
  ) {
    super(code, message, field, details);
  }
}
