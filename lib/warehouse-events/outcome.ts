import { DomainError } from "@/lib/errors";
import { sqlState } from "@/db/transaction";
import { FulfillmentError } from "@/lib/shipments/errors";

export type EventState = "applied" | "failed" | "stale" | "ignored" | "flagged" | "duplicate";

/** What became of an event, stored on its row and answered to the reporter. */
export type EventOutcome = {
  state: Exclude<EventState, "failed">;
  reason?: string;
  message?: string;
  canonicalStatus?: string | null;
  orderId?: string | null;
  shipmentId?: string | null;
};

/**
 * An event that cannot be applied as reported (unmapped status, unknown order, a transition the state refuses).
 * Thrown from inside the event's transaction, which then rolls back whole: never partially applied. The failure
 * is recorded by a separate write, and the event can be replayed once the cause is fixed.
 */
export class EventRejected extends Error {
  constructor(
    readonly reason: string,
    message: string,
    readonly refs: { canonicalStatus?: string | null; orderId?: string | null; shipmentId?: string | null } = {},
  ) {
    super(message);
  }
}

/**
 * The failure an error stands for, or undefined for errors that are not the event's fault (database down, a
 * bug): those propagate, the reporter gets a 500 and retries, and nothing was recorded.
 */
export function rejectionOf(error: unknown): EventRejected | undefined {
  if (error instanceof EventRejected) return error;
  if (error instanceof FulfillmentError) return new EventRejected(error.reason, error.message);
  if (error instanceof DomainError) return new EventRejected(error.code, error.message);
  // A CHECK or foreign key refusing the result: the stock or state cannot take the event as reported.
  const state = sqlState(error);
  if (state?.startsWith("23")) return new EventRejected("constraint_violation", "The database refused the change this event asks for (a stock or state rule); nothing was applied.");
  return undefined;
}
